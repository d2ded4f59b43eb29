package org.skerry.interop.federation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.skerry.interop.TestNode;

/**
 * Several real nodes with distinct domains on loopback, each listening for s2s on its own free port, and each
 * knowing the others through {@code federation.hosts} (no DNS).
 */
final class FederatedNodes implements AutoCloseable {
    private final Map<String, TestNode> nodes = new LinkedHashMap<>();
    private final Set<String> stopped = new HashSet<>();
    private final Map<String, Integer> s2sPorts;

    private FederatedNodes(Map<String, Integer> s2sPorts) { this.s2sPorts = s2sPorts; }

    /** Starts one node per domain, all with {@code extra} settings (e.g. federation.auth). */
    static FederatedNodes start(List<String> domains, String... extra) {
        return start(domains, domain -> List.of(), extra);
    }

    /** Like {@link #start(List, String...)}, with settings of each node's own too (e.g. its certificate). */
    static FederatedNodes start(List<String> domains, Function<String, List<String>> own, String... extra) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String domain : domains) {
            ports.put(domain, TestNode.freePort());
        }
        FederatedNodes federation = new FederatedNodes(ports);
        try {
            for (String domain : domains) {
                federation.nodes.put(domain, TestNode.startServing(domain, federation.settingsFor(domain, own.apply(domain), extra)));
            }
        } catch (RuntimeException e) {
            federation.close();
            throw e;
        }
        return federation;
    }

    private String[] settingsFor(String domain, List<String> own, String... extra) {
        List<String> sets = new ArrayList<>();
        sets.add("federation.enabled=true");
        sets.add("federation.bind=\"127.0.0.1\"");
        sets.add("federation.port=" + s2sPorts.get(domain));
        sets.add("federation.direct_tls_port=0");
        sets.add("federation.dns=false"); // peers are found through federation.hosts only, never real DNS
        for (Map.Entry<String, Integer> peer : s2sPorts.entrySet()) {
            if (!peer.getKey().equals(domain)) {
                sets.add("federation.hosts." + peer.getKey() + "=127.0.0.1:" + peer.getValue());
            }
        }
        sets.addAll(List.of(extra));
        sets.addAll(own);
        return sets.toArray(new String[0]);
    }

    TestNode node(String domain) { return nodes.get(domain); }

    /** Stops one node, as its admin would; {@link #startAgain} brings it back on the same ports and data. */
    void stop(String domain) {
        nodes.get(domain).close();
        stopped.add(domain);
    }

    TestNode startAgain(String domain) {
        TestNode started = nodes.get(domain).startAgain();
        nodes.put(domain, started);
        stopped.remove(domain);
        return started;
    }

    TestNode restart(String domain) {
        stop(domain);
        return startAgain(domain);
    }

    int s2sPort(String domain) { return s2sPorts.get(domain); }

    @Override
    public void close() {
        nodes.forEach((domain, node) -> {
            if (!stopped.contains(domain)) {
                node.close();
            }
        });
    }
}
