package org.skerry.server.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Catches two enabled listeners configured on the same port and overlapping addresses, which would otherwise
 * surface only at start-up as a bare "Address already in use" with no key to fix.
 */
final class Listeners {

    private record Listener(String key, String bind, int port) {
        boolean overlaps(Listener other) {
            return port == other.port && (wildcard(bind) || wildcard(other.bind) || host(bind).equals(host(other.bind)));
        }

        private static boolean wildcard(String bind) {
            return bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("0:0:0:0:0:0:0:0");
        }

        private static String host(String bind) {
            return bind.equals("localhost") ? "127.0.0.1" : bind;
        }
    }

    private Listeners() {
    }

    private static boolean isDefault(ResolvedValues v, String key) {
        return v.raw(key).origin().source() == Origin.Source.DEFAULT;
    }

    static void requireDistinctPorts(SkerryConfig config, ResolvedValues v) throws ConfigException {
        List<Listener> listeners = new ArrayList<>();
        listeners.add(new Listener("c2s.port", config.c2s().bind(), config.c2s().port()));
        listeners.add(new Listener("c2s.direct_tls_port", config.c2s().bind(), config.c2s().directTlsPort()));
        if (config.federation().enabled()) {
            listeners.add(new Listener("federation.port", config.federation().bind(), config.federation().port()));
            listeners.add(new Listener("federation.direct_tls_port", config.federation().bind(),
                    config.federation().directTlsPort()));
        }
        listeners.add(new Listener("http.bind", config.http().bind().host(), config.http().bind().port()));
        listeners.removeIf(listener -> listener.port() == 0);
        for (int i = 0; i < listeners.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (listeners.get(i).overlaps(listeners.get(j))) {
                    // Blame the key the admin wrote, not the default it collided with.
                    boolean laterIsDefault = isDefault(v, listeners.get(i).key());
                    Listener blamed = laterIsDefault && !isDefault(v, listeners.get(j).key()) ? listeners.get(j) : listeners.get(i);
                    Listener other = blamed == listeners.get(i) ? listeners.get(j) : listeners.get(i);
                    throw v.error(blamed.key(), "port " + blamed.port() + " is already used by " + other.key());
                }
            }
        }
    }
}
