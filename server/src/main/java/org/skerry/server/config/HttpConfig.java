package org.skerry.server.config;

import java.time.Duration;

/**
 * {@code [http]}: the node's one HTTP listener (console, JSON API, metrics).
 *
 * @param bind IP literal or localhost and port; port 0 = disabled
 * @param tls HTTPS with the node's certificate
 * @param sessionTimeout how long a console sign-in lasts without a request
 * @param metricsToken the bearer token {@code /metrics} requires; empty = no token needed
 */
public record HttpConfig(HostPort bind, boolean tls, Duration sessionTimeout, String metricsToken) {

    public boolean enabled() {
        return bind.port() != 0;
    }

    static HttpConfig from(ResolvedValues v) throws ConfigException {
        String text = v.string("http.bind");
        HostPort bind;
        try {
            bind = ValueSyntax.hostPort(text, false, 0);
        } catch (IllegalArgumentException invalid) {
            throw v.error("http.bind", invalid.getMessage());
        }
        return new HttpConfig(bind, v.bool("http.tls"), v.duration("http.session_timeout", false),
                v.string("http.metrics_token"));
    }

    /** Like the record's, but never prints the token into a log. */
    @Override
    public String toString() {
        return "HttpConfig[bind=" + bind + ", tls=" + tls + ", sessionTimeout=" + sessionTimeout + ", metricsToken="
                + (metricsToken.isEmpty() ? "" : "***") + "]";
    }
}
