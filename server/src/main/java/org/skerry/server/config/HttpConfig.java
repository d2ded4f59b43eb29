package org.skerry.server.config;

/**
 * {@code [http]}: the node's one HTTP listener (console, JSON API, metrics).
 *
 * @param bind IP literal or localhost and port; port 0 = disabled
 */
public record HttpConfig(HostPort bind) {

    public boolean enabled() {
        return bind.port() != 0;
    }

    static HttpConfig from(ResolvedValues v) throws ConfigException {
        String text = v.string("http.bind");
        try {
            return new HttpConfig(ValueSyntax.hostPort(text, false, 0));
        } catch (IllegalArgumentException invalid) {
            throw v.error("http.bind", invalid.getMessage());
        }
    }
}
