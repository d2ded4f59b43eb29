package org.skerry.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.skerry.distribution.Cli.Result;
import org.skerry.server.Node;
import org.skerry.server.config.SkerryConfig;

/**
 * {@code skerry federation peers|block|unblock|retry}, and {@code check} on a node without federation, run in-process
 * as an admin would, against a real node (no listener, no peers): the commands act through the node's control
 * socket, and a bad domain is bad usage before anything is asked. What a block does to live peers is tested end to end in interop-tests.
 */
class FederationAdminCommandsTest {
    @TempDir
    Path dataDir;

    @Test
    void blockListUnblockAndRetryOnARunningNode() throws Exception {
        try (Node node = startNode("federation.blocked_domains=[\"spam.example\"]")) {
            assertThat(federation("peers").out()).contains("spam.example", "blocked (config)");

            Result blocked = federation("block", "Noisy.Example");
            assertThat(blocked.exitCode()).as(blocked.err()).isZero();
            assertThat(blocked.out()).contains("Blocked noisy.example: closed 0 links");

            Result peers = federation("peers");
            assertThat(peers.exitCode()).isZero();
            assertThat(peers.out().lines().findFirst().orElseThrow()).startsWith("PEER").contains("POLICY", "QUEUED",
                    "LAST ERROR");
            assertThat(peers.out().lines().filter(line -> line.startsWith("noisy.example")))
                    .singleElement().asString().contains("blocked");

            Result retryBlocked = federation("retry", "noisy.example");
            assertThat(retryBlocked.exitCode()).isEqualTo(Main.FAILURE);
            assertThat(retryBlocked.err()).contains("noisy.example is blocked at runtime: nothing is sent to it");

            assertThat(federation("unblock", "noisy.example").out())
                    .contains("Unblocked noisy.example: links and stanzas are allowed again.");
            assertThat(federation("unblock", "noisy.example").out()).contains("noisy.example was not blocked");

            Result retry = federation("retry", "friend.example");
            assertThat(retry.exitCode()).as(retry.err()).isZero();
            assertThat(retry.out()).contains("Nothing is queued for friend.example.");
        }
    }

    @Test
    void aBlockOfTheConfigurationCannotBeLiftedAndTheCommandSaysWhy() throws Exception {
        try (Node node = startNode("federation.blocked_domains=[\"spam.example\"]")) {
            Result result = federation("unblock", "spam.example");

            assertThat(result.exitCode()).isEqualTo(Main.FAILURE);
            assertThat(result.err()).contains("spam.example is blocked by federation.blocked_domains in the"
                    + " configuration, which cannot be lifted at runtime: remove it there and restart the node");
        }
    }

    @Test
    void anInvalidDomainIsBadUsageWithTheReason() {
        // No node runs: the domain is refused before the CLI even looks for one.
        assertThat(federation("block", "not a domain")).satisfies(r -> {
            assertThat(r.exitCode()).isEqualTo(Main.USAGE);
            assertThat(r.err()).contains("\"not a domain\" is not a valid domain name");
        });
        assertThat(federation("unblock", "bob@peer.example")).satisfies(r -> {
            assertThat(r.exitCode()).isEqualTo(Main.USAGE);
            assertThat(r.err()).contains("is an address, not a domain");
        });
        assertThat(federation("retry", "192.0.2.1")).satisfies(r -> {
            assertThat(r.exitCode()).isEqualTo(Main.USAGE);
            assertThat(r.err()).contains("is an IP address, not a domain name");
        });
        assertThat(federation("block", "localhost")).satisfies(r -> {
            assertThat(r.exitCode()).isEqualTo(Main.USAGE);
            assertThat(r.err()).contains("localhost is served by this node, not a peer");
        });
        assertThat(federation("block").exitCode()).as("no DOMAIN").isEqualTo(Main.USAGE);
        assertThat(federation("frobnicate", "peer.example")).satisfies(r -> {
            assertThat(r.exitCode()).isEqualTo(Main.USAGE);
            assertThat(r.err()).contains("unknown action 'frobnicate' (check, peers, block, unblock, retry)");
        });
    }

    @Test
    void withoutARunningNodeTheCommandsFailAndSaySo() {
        Result result = federation("peers");

        assertThat(result.exitCode()).isEqualTo(Main.FAILURE);
        assertThat(result.err()).contains("no node is running on " + dataDir, "start it first");
    }

    @Test
    void onANodeWithoutFederationTheCommandsFailAndSaySo() throws Exception {
        try (Node node = Node.start(SkerryConfig.load(null, settings(List.of("federation.enabled=false")), Map.of()))) {
            Result result = federation("block", "spam.example");

            assertThat(result.exitCode()).isEqualTo(Main.FAILURE);
            assertThat(result.err()).contains("federation is off on this node (federation.enabled = false)");
        }
    }

    @Test
    void onANodeWithoutFederationTheCheckStillRunsInTheNode() throws Exception {
        int nobody;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nobody = free.getLocalPort();
        }
        try (Node node = Node.start(SkerryConfig.load(null, settings(List.of("federation.enabled=false",
                "federation.hosts.peer.example=127.0.0.1:" + nobody)), Map.of()))) {
            Result result = federation("check", "peer.example");

            assertThat(result.exitCode()).as(result.err()).isEqualTo(Main.FAILURE);
            // The route is the node's federation.hosts, which the CLI's own settings lack: the node ran the check.
            assertThat(result.out()).contains("federation.hosts: peer.example = 127.0.0.1:" + nobody)
                    .containsPattern("tcp +failed +cannot connect to 127.0.0.1:" + nobody);
        }
    }

    // ---------------------------------------------------------------- helpers

    /** {@code skerry federation WORDS... --set data_dir=...}, each word one argument. */
    private Result federation(String... words) {
        List<String> args = new ArrayList<>(List.of("federation"));
        args.addAll(Arrays.asList(words));
        args.add("--set");
        args.add("data_dir=" + dataDir);
        return Cli.runWithInput("", args.toArray(String[]::new));
    }

    private Node startNode(String... extra) throws Exception {
        List<String> sets = new ArrayList<>(List.of("federation.enabled=true", "federation.port=0",
                "federation.direct_tls_port=0", "federation.dns=false"));
        sets.addAll(List.of(extra));
        return Node.start(SkerryConfig.load(null, settings(sets), Map.of()));
    }

    private List<String> settings(List<String> extra) {
        List<String> sets = new ArrayList<>(List.of("data_dir=" + dataDir, "admins=[]", "c2s.port=0",
                "c2s.direct_tls_port=0", "http.bind=\"127.0.0.1:0\"", "auth.scram_iterations=4096"));
        sets.addAll(extra);
        return sets;
    }
}
