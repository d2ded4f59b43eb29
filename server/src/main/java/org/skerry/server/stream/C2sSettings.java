package org.skerry.server.stream;

import java.time.Duration;

/** The c2s stream settings the stream layer needs, taken from the configuration at start-up. */
public record C2sSettings(
        boolean requireTls,
        boolean allowPlain,
        boolean allowPlainWithoutTls,
        Duration handshakeTimeout,
        Duration idleTimeout,
        Duration pingInterval,
        Duration keepaliveInterval,
        int stanzaRate,
        int stanzaBurst,
        int writeBufferHigh,
        int writeBufferLow,
        boolean streamManagement,
        Duration resumptionTimeout,
        Duration maxResumptionTimeout,
        int maxConnections,
        int maxConnectionsPerIp) {

    /** How far past the high water mark a client may fall behind before it is disconnected. */
    public long writeBufferHardLimit() { return Math.max(4L * writeBufferHigh, 1L << 20); }

    /** Unacknowledged stanzas kept for a XEP-0198 session before it is considered stuck. */
    public int maxUnacked() { return 10_000; }
}
