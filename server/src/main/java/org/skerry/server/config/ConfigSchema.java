package org.skerry.server.config;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every configuration key, its value kind and its built-in default. This is the one list that decides which
 * keys exist: anything not here is an error, so a typo can never silently fall back to a default. The
 * shipped {@code conf/skerry.toml} is tested to contain exactly these keys with exactly these defaults.
 */
final class ConfigSchema {

    /** How a key's value is written; decides which loose spellings {@code --set} and the environment accept. */
    enum Kind {
        STRING, STRING_LIST, INTEGER, BOOLEAN, DURATION, SIZE,
        /** A table of string values whose keys are chosen by the admin ({@code federation.hosts}). */
        STRING_TABLE
    }

    record Key(String name, Kind kind, Object defaultValue) {
        String section() {
            int dot = name.indexOf('.');
            return dot < 0 ? "" : name.substring(0, dot);
        }
    }

    static final String FEDERATION_HOSTS = "federation.hosts";
    static final String ENVIRONMENT_PREFIX = "SKERRY_";

    private static final Map<String, Key> KEYS = new LinkedHashMap<>();
    private static final Map<String, String> KEY_BY_ENVIRONMENT_VARIABLE = new LinkedHashMap<>();

    static {
        key("domains", Kind.STRING_LIST, List.of("localhost"));
        key("admins", Kind.STRING_LIST, List.of("admin@localhost"));
        key("data_dir", Kind.STRING, "./data");

        key("storage.url", Kind.STRING, "jdbc:h2:file:${data_dir}/skerry");
        key("storage.user", Kind.STRING, "");
        key("storage.password", Kind.STRING, "");
        key("storage.pool_size", Kind.INTEGER, 8L);
        key("storage.worker_threads", Kind.INTEGER, 4L);
        key("storage.queue_capacity", Kind.INTEGER, 10000L);

        key("tls.certificate", Kind.STRING, "");
        key("tls.private_key", Kind.STRING, "");
        key("tls.password", Kind.STRING, "");
        key("tls.provider", Kind.STRING, "bc");
        key("tls.protocols", Kind.STRING_LIST, List.of("TLSv1.3", "TLSv1.2"));
        key("tls.reload_interval", Kind.DURATION, "30s");

        key("c2s.bind", Kind.STRING, "0.0.0.0");
        key("c2s.port", Kind.INTEGER, 5222L);
        key("c2s.direct_tls_port", Kind.INTEGER, 5223L);
        key("c2s.require_tls", Kind.BOOLEAN, true);
        key("c2s.allow_plain", Kind.BOOLEAN, true);
        key("c2s.allow_plain_without_tls", Kind.BOOLEAN, false);
        key("c2s.allow_registration", Kind.BOOLEAN, false);
        key("c2s.registration_limit", Kind.INTEGER, 5L);
        key("c2s.registration_window", Kind.DURATION, "1h");
        key("c2s.max_stanza_size", Kind.SIZE, "256KiB");
        key("c2s.max_depth", Kind.INTEGER, 32L);
        key("c2s.max_attributes", Kind.INTEGER, 64L);
        key("c2s.idle_timeout", Kind.DURATION, "10m");
        key("c2s.ping_interval", Kind.DURATION, "5m");
        key("c2s.keepalive_interval", Kind.DURATION, "60s");
        key("c2s.stanza_rate", Kind.INTEGER, 200L);
        key("c2s.stanza_burst", Kind.INTEGER, 400L);
        key("c2s.write_buffer_high", Kind.SIZE, "256KiB");
        key("c2s.write_buffer_low", Kind.SIZE, "64KiB");
        key("c2s.resumption_timeout", Kind.DURATION, "300s");
        key("c2s.max_resumption_timeout", Kind.DURATION, "600s");
        key("c2s.stream_management", Kind.BOOLEAN, true);
        key("c2s.max_connections", Kind.INTEGER, 20000L);
        key("c2s.max_connections_per_ip", Kind.INTEGER, 1000L);
        key("c2s.handshake_timeout", Kind.DURATION, "30s");

        key("auth.scram_iterations", Kind.INTEGER, 4096L);
        key("auth.max_failures_per_ip", Kind.INTEGER, 20L);
        key("auth.max_failures_per_account", Kind.INTEGER, 10L);
        key("auth.failure_window", Kind.DURATION, "5m");

        key("offline.max_messages_per_user", Kind.INTEGER, 1000L);

        key("federation.enabled", Kind.BOOLEAN, true);
        key("federation.bind", Kind.STRING, "0.0.0.0");
        key("federation.port", Kind.INTEGER, 5269L);
        key("federation.direct_tls_port", Kind.INTEGER, 5270L);
        key("federation.auth", Kind.STRING, "strict");
        key("federation.queue_max_age", Kind.DURATION, "72h");
        key("federation.queue_max_per_peer", Kind.INTEGER, 10000L);
        key("federation.trust_anchors", Kind.STRING_LIST, List.of());
        key("federation.connect_timeout", Kind.DURATION, "30s");
        key("federation.keepalive_interval", Kind.DURATION, "60s");
        key("federation.idle_timeout", Kind.DURATION, "10m");
        key("federation.max_inbound_links", Kind.INTEGER, 1000L);
        key("federation.dns", Kind.BOOLEAN, true);
        key("federation.dns_servers", Kind.STRING_LIST, List.of());
        key("federation.retry_initial", Kind.DURATION, "1s");
        key("federation.retry_max", Kind.DURATION, "5m");
        key("federation.blocked_domains", Kind.STRING_LIST, List.of());
        key("federation.allowed_domains", Kind.STRING_LIST, List.of());
        key("federation.max_inbound_links_per_ip", Kind.INTEGER, 50L);
        key("federation.peer_stanza_rate", Kind.INTEGER, 500L);
        key("federation.peer_stanza_burst", Kind.INTEGER, 1000L);
        key("federation.bidi", Kind.BOOLEAN, true);
        key(FEDERATION_HOSTS, Kind.STRING_TABLE, Map.of());

        key("http.bind", Kind.STRING, "127.0.0.1:5280");
        key("http.tls", Kind.BOOLEAN, false);
        key("http.session_timeout", Kind.DURATION, "30m");
        key("http.metrics_token", Kind.STRING, "");

        key("log.level", Kind.STRING, "info");
    }

    private ConfigSchema() {
    }

    private static void key(String name, Kind kind, Object defaultValue) {
        Key key = new Key(name, kind, defaultValue);
        KEYS.put(name, key);
        String variable = environmentVariable(name);
        // Section names contain no underscore, so SKERRY_<SECTION>_<KEY> maps back to one key only; this
        // guards the day someone adds a key that breaks that.
        String clash = KEY_BY_ENVIRONMENT_VARIABLE.put(variable, name);
        if (clash != null) {
            throw new IllegalStateException(name + " and " + clash + " share the variable " + variable);
        }
    }

    static Collection<Key> all() {
        return Collections.unmodifiableCollection(KEYS.values());
    }

    static Optional<Key> find(String name) {
        return Optional.ofNullable(KEYS.get(name));
    }

    static Key get(String name) {
        Key key = KEYS.get(name);
        if (key == null) {
            throw new IllegalStateException("not a configuration key: " + name);
        }
        return key;
    }

    /** The section names ({@code storage}, {@code c2s} …), in the order of the shipped file. */
    static Set<String> sections() {
        Set<String> sections = new LinkedHashSet<>();
        for (Key key : KEYS.values()) {
            if (!key.section().isEmpty()) {
                sections.add(key.section());
            }
        }
        return sections;
    }

    /** {@code c2s.allow_registration} → {@code SKERRY_C2S_ALLOW_REGISTRATION}. */
    static String environmentVariable(String key) {
        return ENVIRONMENT_PREFIX + key.replace('.', '_').toUpperCase(Locale.ROOT);
    }

    static Optional<String> keyForEnvironmentVariable(String variable) {
        return Optional.ofNullable(KEY_BY_ENVIRONMENT_VARIABLE.get(variable));
    }

    /** A " (did you mean …?)" hint for a mistyped key, or "" when nothing is close enough to be a typo. */
    static String suggestionFor(String unknown) {
        return closest(unknown, KEYS.keySet());
    }

    static String suggestionForEnvironmentVariable(String unknown) {
        return closest(unknown, KEY_BY_ENVIRONMENT_VARIABLE.keySet());
    }

    private static String closest(String unknown, Set<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = editDistance(unknown.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best != null && bestDistance <= 2 ? " (did you mean " + best + "?)" : "";
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
