package org.skerry.interop.federation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.skerry.interop.TestNode;

/**
 * Several {@link NodeProcess}es with distinct domains that know each other through {@code federation.hosts}, each
 * with its own data directory and s2s port on loopback, and the log of each in {@code target/<name>/DOMAIN.log}.
 */
final class ProcessFederation implements AutoCloseable {
    private final Map<String, NodeProcess> nodes = new LinkedHashMap<>();

    private ProcessFederation() {}

    /** Configures (does not start) one node per domain, all with {@code extraSettings}. */
    static ProcessFederation configure(String name, List<String> domains, String... extraSettings) {
        Map<String, Integer> s2sPorts = new LinkedHashMap<>();
        domains.forEach(domain -> s2sPorts.put(domain, TestNode.freePort()));
        ProcessFederation federation = new ProcessFederation();
        try {
            Path logs = Files.createDirectories(Path.of("target", name).toAbsolutePath());
            for (String domain : domains) {
                List<String> settings = new ArrayList<>(List.of(
                        "federation.enabled=true",
                        "federation.bind=\"127.0.0.1\"",
                        "federation.port=" + s2sPorts.get(domain),
                        "federation.direct_tls_port=0",
                        "federation.dns=false")); // peers only through federation.hosts: tests never ask real DNS
                s2sPorts.forEach((peer, port) -> {
                    if (!peer.equals(domain)) {
                        settings.add("federation.hosts." + peer + "=127.0.0.1:" + port);
                    }
                });
                settings.addAll(List.of(extraSettings));
                Path log = logs.resolve(domain + ".log");
                Files.deleteIfExists(log);
                Path dataDir = Files.createTempDirectory("skerry-" + domain);
                federation.nodes.put(domain, NodeProcess.configure(domain, dataDir, log, settings));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return federation;
    }

    NodeProcess node(String domain) { return nodes.get(domain); }

    void startAll() { nodes.values().forEach(NodeProcess::start); }

    @Override
    public void close() { nodes.values().forEach(NodeProcess::close); }
}
