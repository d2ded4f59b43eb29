package org.skerry.server.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * @param queueMaxPerPeer stanzas one peer's queue may hold
 * @param trustAnchors  PEM files of certificate authorities trusted for peers besides the JDK's
 * @param connectTimeout    from opening a link until it is authenticated
 * @param keepaliveInterval whitespace is sent on a link after this much silence
 * @param idleTimeout       a link that carried no stanza for this long is closed
 * @param maxInboundLinks   inbound connections accepted at once
 * @param dns           whether peers not in {@code hosts} are looked up in DNS (SRV, then A/AAAA); false = only
 *                      {@code hosts} are reachable
 * @param dnsServers    recursive DNS servers (IP literal and port) to ask instead of the system's; empty = the system's
 * @param retryInitial  wait before the first retry of an unreachable peer; it doubles after each failure
 * @param retryMax      longest wait between retries: also how late a returning peer may be noticed
 * @param blockedDomains peer domains never federated with, lower-cased
 * @param allowedDomains when not empty, the only peer domains federated with (allow-only mode), lower-cased
 * @param maxInboundLinksPerIp inbound connections accepted at once from one IP address
 * @param peerStanzaRate  stanzas per second one inbound link may send before it is paced (not read for a moment)
 * @param peerStanzaBurst stanzas an inbound link may send at once above the rate
 * @param bidi          whether links carry stanzas both ways when the peer supports it (XEP-0288), so that two
 *                      servers talking to each other need one connection instead of two
 * @param hosts         static overrides of DNS SRV: lower-cased domain → host and port (1..65535)
 */
public record FederationConfig(boolean enabled, String bind, int port, int directTlsPort, Auth auth,
                               Duration queueMaxAge, int queueMaxPerPeer, List<Path> trustAnchors,
                               Duration connectTimeout, Duration keepaliveInterval, Duration idleTimeout,
                               int maxInboundLinks, boolean dns, List<HostPort> dnsServers,
                               Duration retryInitial, Duration retryMax,
                               List<String> blockedDomains, List<String> allowedDomains, int maxInboundLinksPerIp,
                               int peerStanzaRate, int peerStanzaBurst, boolean bidi,
                               Map<String, HostPort> hosts) {

    /** How a peer server must prove its domain. */
    public enum Auth {
        /** Only a valid certificate for the domain (SASL EXTERNAL). */
        STRICT,
        /** Also server dialback (XEP-0220) over TLS, for peers whose certificates do not validate. */
        DIALBACK
    }

    public FederationConfig {
        trustAnchors = List.copyOf(trustAnchors);
        dnsServers = List.copyOf(dnsServers);
        blockedDomains = List.copyOf(blockedDomains);
        allowedDomains = List.copyOf(allowedDomains);
        hosts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(hosts));
    }

    static FederationConfig from(ResolvedValues v, List<String> servedDomains, String dataDir) throws ConfigException {
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
        List<String> servers = v.strings("federation.dns_servers");
        List<HostPort> dnsServers = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            try {
                dnsServers.add(ValueSyntax.hostPort(servers.get(i), false, 1));
            } catch (IllegalArgumentException invalid) {
                throw v.error("federation.dns_servers", i, invalid.getMessage());
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
                v.integer("federation.queue_max_per_peer", 1, Integer.MAX_VALUE),
                trustAnchors(v, dataDir),
                v.duration("federation.connect_timeout", false),
                v.duration("federation.keepalive_interval", false),
                v.duration("federation.idle_timeout", false),
                v.integer("federation.max_inbound_links", 1, Integer.MAX_VALUE),
                v.bool("federation.dns"),
                dnsServers,
                retryInitial,
                retryMax,
                domains(v, "federation.blocked_domains"),
                domains(v, "federation.allowed_domains"),
                v.integer("federation.max_inbound_links_per_ip", 1, Integer.MAX_VALUE),
                v.integer("federation.peer_stanza_rate", 1, Integer.MAX_VALUE),
                v.integer("federation.peer_stanza_burst", 1, Integer.MAX_VALUE),
                v.bool("federation.bidi"),
                hosts);
    }

    /** A list of peer domains, lower-cased and checked like the keys of federation.hosts. */
    private static List<String> domains(ResolvedValues v, String key) throws ConfigException {
        List<String> texts = v.strings(key);
        List<String> domains = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            try {
                domains.add(ValueSyntax.domain(texts.get(i)));
            } catch (IllegalArgumentException invalid) {
                throw v.error(key, i, invalid.getMessage());
            }
        }
        return domains;
    }

    /** Paths only: the files are read when federation starts, like tls.certificate. */
    private static List<Path> trustAnchors(ResolvedValues v, String dataDir) throws ConfigException {
        String key = "federation.trust_anchors";
        List<String> texts = v.strings(key);
        List<Path> paths = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i).replace("${data_dir}", dataDir);
            if (text.isBlank()) {
                throw v.error(key, i, "element " + (i + 1) + " is empty");
            }
            if (text.contains("${")) {
                throw v.error(key, i, "\"" + texts.get(i) + "\": only ${data_dir} is supported");
            }
            try {
                paths.add(Path.of(text));
            } catch (InvalidPathException invalid) {
                throw v.error(key, i, "\"" + text + "\" is not a valid path: " + invalid.getMessage());
            }
        }
        return paths;
    }
}
