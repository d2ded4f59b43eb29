package org.skerry.server.auth;

import java.util.List;
import java.util.Objects;

/**
 * What SASL needs to know about one c2s connection.
 *
 * @param domain          the domain the client's stream is addressed to; authzids must be on it
 * @param tlsActive       whether the stream is encrypted (PLAIN is never offered in the clear)
 * @param plainAllowed    whether the configuration allows PLAIN
 * @param channelBindings the channel-binding data of this TLS connection; empty when not TLS or when the
 *                        TLS provider exposes none. -PLUS mechanisms are offered only when non-empty.
 */
public record SaslConnection(String domain, boolean tlsActive, boolean plainAllowed,
        List<ChannelBinding> channelBindings) {

    public SaslConnection {
        Objects.requireNonNull(domain, "domain");
        channelBindings = List.copyOf(channelBindings);
        if (!tlsActive && !channelBindings.isEmpty()) {
            throw new IllegalArgumentException("channel bindings exist only on TLS connections");
        }
    }

    /** The mechanisms to offer on this connection, strongest first. */
    public List<String> offeredMechanisms() {
        return SaslMechanisms.offered(tlsActive, plainAllowed, channelBindings);
    }
}
