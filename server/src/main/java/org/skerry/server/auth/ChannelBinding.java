package org.skerry.server.auth;

import java.util.Arrays;
import java.util.Objects;
import java.util.Set;

/**
 * Channel-binding data of the TLS connection, offered to SCRAM -PLUS (RFC 5802 §6): {@code tls-server-end-point}
 * (RFC 5929, the hash of the server certificate) or {@code tls-exporter} (RFC 9266). {@code tls-unique} is not
 * supported: it is undefined for TLS 1.3.
 */
public record ChannelBinding(String type, byte[] data) {
    public static final String TLS_SERVER_END_POINT = "tls-server-end-point";
    public static final String TLS_EXPORTER = "tls-exporter";
    private static final Set<String> SUPPORTED_TYPES = Set.of(TLS_SERVER_END_POINT, TLS_EXPORTER);

    public ChannelBinding {
        Objects.requireNonNull(type, "type");
        if (!SUPPORTED_TYPES.contains(type)) {
            throw new IllegalArgumentException("unsupported channel-binding type: " + type);
        }
        if (data == null || data.length == 0) {
            throw new IllegalArgumentException("channel-binding data must not be empty");
        }
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ChannelBinding that && type.equals(that.type) && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "ChannelBinding[" + type + ", " + data.length + " bytes]";
    }
}
