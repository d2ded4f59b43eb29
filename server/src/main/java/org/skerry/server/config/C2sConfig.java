package org.skerry.server.config;

import java.time.Duration;

/**
 * {@code [c2s]}: client connections, their limits and their timers.
 *
 * @param bind                 IP literal or localhost to listen on
 * @param port                 STARTTLS port, 0 = disabled
 * @param directTlsPort        direct TLS port (XEP-0368), 0 = disabled
 * @param requireTls           false allows plaintext c2s (benchmarks and SINT only)
 * @param allowPlain           offer SASL PLAIN (inside TLS)
 * @param allowPlainWithoutTls offer PLAIN on unencrypted streams too (benchmarks only; needs requireTls false)
 * @param allowRegistration    in-band registration (XEP-0077)
 * @param registrationLimit    registrations allowed per IP address per registrationWindow
 * @param registrationWindow   window of registrationLimit
 * @param maxStanzaSize        bytes; at least 10000 (RFC 6120 section 13.12)
 * @param maxDepth             element nesting depth allowed in a stanza
 * @param maxAttributes        attributes allowed on one element
 * @param idleTimeout          no bytes from the client for this long: ping, then close
 * @param pingInterval         XEP-0199 ping sent to a silent client
 * @param keepaliveInterval    whitespace keepalive sent to the client
 * @param stanzaRate           stanzas per second per session, sustained
 * @param stanzaBurst          stanzas per session allowed in a burst
 * @param writeBufferHigh      bytes queued for a client above which it is treated as slow (stop reading for it)
 * @param writeBufferLow       bytes below which a slow client is writable again; at most writeBufferHigh
 * @param resumptionTimeout    XEP-0198 resumption time offered by default
 * @param maxResumptionTimeout longest resumption time a client may ask for; at least resumptionTimeout
 * @param streamManagement     offer XEP-0198 stream management
 * @param maxConnections       client connections in total
 * @param maxConnectionsPerIp  client connections per IP address; at most maxConnections
 * @param handshakeTimeout     time to authenticate before the socket is closed
 */
public record C2sConfig(String bind, int port, int directTlsPort, boolean requireTls, boolean allowPlain,
                        boolean allowPlainWithoutTls,
                        boolean allowRegistration, int registrationLimit, Duration registrationWindow,
                        int maxStanzaSize, int maxDepth, int maxAttributes, Duration idleTimeout,
                        Duration pingInterval, Duration keepaliveInterval, int stanzaRate, int stanzaBurst,
                        int writeBufferHigh, int writeBufferLow, Duration resumptionTimeout,
                        Duration maxResumptionTimeout, boolean streamManagement, int maxConnections,
                        int maxConnectionsPerIp, Duration handshakeTimeout) {

    /** RFC 6120 section 13.12: a server must accept stanzas of at least 10000 bytes. */
    static final int MIN_STANZA_SIZE = 10_000;
    private static final int MAX_BUFFER_BYTES = 1 << 30;

    static C2sConfig from(ResolvedValues v) throws ConfigException {
        int writeBufferHigh = v.size("c2s.write_buffer_high", 1, MAX_BUFFER_BYTES);
        int writeBufferLow = v.size("c2s.write_buffer_low", 0, MAX_BUFFER_BYTES);
        if (writeBufferLow > writeBufferHigh) {
            throw v.error("c2s.write_buffer_low", "must not exceed c2s.write_buffer_high (" + writeBufferLow
                    + " > " + writeBufferHigh + " bytes)");
        }
        Duration resumptionTimeout = v.duration("c2s.resumption_timeout", false);
        Duration maxResumptionTimeout = v.duration("c2s.max_resumption_timeout", false);
        if (resumptionTimeout.compareTo(maxResumptionTimeout) > 0) {
            throw v.error("c2s.resumption_timeout", "must not exceed c2s.max_resumption_timeout ("
                    + resumptionTimeout + " > " + maxResumptionTimeout + ")");
        }
        boolean allowPlainWithoutTls = v.bool("c2s.allow_plain_without_tls");
        if (allowPlainWithoutTls && v.bool("c2s.require_tls")) {
            throw v.error("c2s.allow_plain_without_tls", "has no effect while c2s.require_tls = true");
        }
        int maxConnections = v.integer("c2s.max_connections", 1, 10_000_000);
        int maxConnectionsPerIp = v.integer("c2s.max_connections_per_ip", 1, 10_000_000);
        if (maxConnectionsPerIp > maxConnections) {
            throw v.error("c2s.max_connections_per_ip", "must not exceed c2s.max_connections ("
                    + maxConnectionsPerIp + " > " + maxConnections + ")");
        }
        return new C2sConfig(
                v.bindAddress("c2s.bind"),
                v.port("c2s.port"),
                v.port("c2s.direct_tls_port"),
                v.bool("c2s.require_tls"),
                v.bool("c2s.allow_plain"),
                allowPlainWithoutTls,
                v.bool("c2s.allow_registration"),
                v.integer("c2s.registration_limit", 1, 1_000_000),
                v.duration("c2s.registration_window", false),
                v.size("c2s.max_stanza_size", MIN_STANZA_SIZE, MAX_BUFFER_BYTES),
                v.integer("c2s.max_depth", 4, 1000),
                v.integer("c2s.max_attributes", 8, 10_000),
                v.duration("c2s.idle_timeout", false),
                v.duration("c2s.ping_interval", false),
                v.duration("c2s.keepalive_interval", false),
                v.integer("c2s.stanza_rate", 1, 1_000_000),
                v.integer("c2s.stanza_burst", 1, 1_000_000),
                writeBufferHigh,
                writeBufferLow,
                resumptionTimeout,
                maxResumptionTimeout,
                v.bool("c2s.stream_management"),
                maxConnections,
                maxConnectionsPerIp,
                v.duration("c2s.handshake_timeout", false));
    }
}
