package org.skerry.bench;

/** The scenario cannot run at all (server unreachable, too few open files allowed, nobody logged in): exit 1. */
final class CannotRun extends Exception {
    private static final long serialVersionUID = 1L;

    CannotRun(String message) { super(message); }
}
