package org.skerry.server;

/**
 * Whether strangers may create accounts with XEP-0077 in-band registration. It starts from
 * {@code c2s.allow_registration} and an admin may flip it while the node runs (the console): the next stream's
 * features and the next registration request follow at once. A flip lasts until the node restarts; the
 * configuration file stays the one place that decides the state at start.
 */
public final class RegistrationSwitch {
    private final boolean configured;
    private volatile boolean open;

    public RegistrationSwitch(boolean configured) {
        this.configured = configured;
        this.open = configured;
    }

    public boolean isOpen() { return open; }

    public void set(boolean open) { this.open = open; }

    /** What {@code c2s.allow_registration} says, i.e. the state after the next restart. */
    public boolean configured() { return configured; }
}
