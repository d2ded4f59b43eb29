package org.skerry.server.config;

/**
 * A host and a port, as written in {@code http.bind} and {@code federation.hosts}. The host is an IP literal
 * (IPv6 without brackets), {@code localhost}, or, for federation targets, a lower-cased domain name.
 *
 * @param host the host, never in brackets
 * @param port 0..65535 (0 means "disabled" where the key says so)
 */
public record HostPort(String host, int port) {

    /** {@code host:port}, with an IPv6 host put back in brackets so that the result parses again. */
    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
