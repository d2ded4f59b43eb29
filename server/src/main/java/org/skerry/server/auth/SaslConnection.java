package org.skerry.server.auth;

import java.util.List;
import java.util.Objects;

/**
 * What SASL needs to know about one c2s connection.
 *
 * @param domain          the domain the client's stream is addressed to; authzids must be on it
 * @param confidential    whether a password may cross the stream: it is encrypted, or the admin accepted PLAIN in the clear
 * @param plainAllowed    whether the configuration allows PLAIN
 * @param channelBindings the channel-binding data of this TLS connection; empty when not TLS or when the
 *                        TLS provider exposes none. -PLUS mechanisms are offered only when non-empty.
 */
public record SaslConnection(String domain, boolean confidential, boolean plainAllowed,
        List<ChannelBinding> channelBindings) {

    public SaslConnection {
        Objects.requireNonNull(domain, "domain");
        channelBindings = List.copyOf(channelBindings);
        if (!confidential && !channelBindings.isEmpty()) {
            throw new IllegalArgumentException("channel bindings exist only on TLS connections");
        }
    }

    /** The mechanisms to offer on this connection, strongest first. */
    public List<String> offeredMechanisms() {
        return SaslMechanisms.offered(confidential, plainAllowed, channelBindings);
    }
}
