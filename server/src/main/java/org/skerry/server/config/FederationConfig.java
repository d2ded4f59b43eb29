package org.skerry.server.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code [federation]}: server-to-server links.
 *
 * @param enabled       false = no s2s listener and no outgoing links; remote stanzas bounce
 * @param bind          IP literal or localhost to listen on
 * @param port          s2s STARTTLS port, 0 = disabled
 * @param directTlsPort s2s direct TLS port (XEP-0368), 0 = disabled
 * @param auth          how peers must authenticate
 * @param queueMaxAge   how long stanzas for an unreachable peer are kept and retried before they bounce
 * @param retryInitial  wait before the first retry of an unreachable peer; it doubles after each failure
 * @param retryMax      longest wait between retries: also how late a returning peer may be noticed
 * @param hosts         static overrides of DNS SRV: lower-cased domain → host and port (1..65535)
 */
public record FederationConfig(boolean enabled, String bind, int port, int directTlsPort, Auth auth,
                               Duration queueMaxAge, Duration retryInitial, Duration retryMax,
                               Map<String, HostPort> hosts) {

    /** How a peer server must prove its domain. */
    public enum Auth {
        /** Only a valid certificate for the domain (SASL EXTERNAL). */
        STRICT,
        /** Also server dialback (XEP-0220) over TLS, for peers whose certificates do not validate. */
        DIALBACK
    }

    public FederationConfig {
        hosts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(hosts));
    }

    static FederationConfig from(ResolvedValues v, List<String> servedDomains) throws ConfigException {
        String key = ConfigSchema.FEDERATION_HOSTS;
        Map<String, HostPort> hosts = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : v.stringTable(key).entrySet()) {
            String domain;
            try {
                domain = ValueSyntax.domain(entry.getKey());
            } catch (IllegalArgumentException invalid) {
                throw v.error(key, entry.getKey(), invalid.getMessage());
            }
            if (servedDomains.contains(domain)) {
                throw v.error(key, entry.getKey(), "\"" + domain + "\" is served by this node, not a peer");
            }
            HostPort target;
            try {
                target = ValueSyntax.hostPort(entry.getValue(), true, 1);
            } catch (IllegalArgumentException invalid) {
                throw v.error(key, entry.getKey(), "\"" + entry.getKey() + "\": " + invalid.getMessage());
            }
            if (hosts.put(domain, target) != null) {
                throw v.error(key, entry.getKey(), "\"" + domain + "\" is listed twice");
            }
        }
        Duration retryInitial = v.duration("federation.retry_initial", false);
        Duration retryMax = v.duration("federation.retry_max", false);
        if (retryMax.compareTo(retryInitial) < 0) {
            throw v.error("federation.retry_max", "must not be shorter than federation.retry_initial (" + retryInitial + ")");
        }
        return new FederationConfig(
                v.bool("federation.enabled"),
                v.bindAddress("federation.bind"),
                v.port("federation.port"),
                v.port("federation.direct_tls_port"),
                v.choice("federation.auth", Auth.class),
                v.duration("federation.queue_max_age", false),
                retryInitial,
                retryMax,
                hosts);
    }
}
