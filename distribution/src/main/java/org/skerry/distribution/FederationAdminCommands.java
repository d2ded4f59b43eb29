package org.skerry.distribution;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.skerry.federation.admin.PeerDomainName;
import org.skerry.server.config.SkerryConfig;
import org.skerry.server.control.ControlClient;
import org.skerry.server.control.ControlProtocol;
import picocli.CommandLine;

/**
 * {@code skerry federation peers|block|unblock|retry}: the admin's federation operations, carried out by the running
 * node through its control socket (the node owns the links, the queue and the policy). A domain is checked here
 * first, so that a typo is bad usage (exit 2) before anything is asked.
 */
final class FederationAdminCommands {
    private FederationAdminCommands() {}

    @CommandLine.Command(name = "peers", description = "List peer servers: links, queue, policy, last error.")
    static final class Peers implements Callable<Integer> {
        @CommandLine.Mixin
        ConfigOptions options = new ConfigOptions();

        @Override
        public Integer call() { return askNode(options, List.of("federation", "peers")); }
    }

    /** The commands that act on one peer domain. */
    abstract static class OnePeer implements Callable<Integer> {
        @CommandLine.Mixin
        ConfigOptions options = new ConfigOptions();

        @CommandLine.Parameters(index = "0", paramLabel = "DOMAIN", description = "the peer server's domain")
        String domain;

        abstract String verb();

        @Override
        public Integer call() {
            SkerryConfig config = options.loadOrReport();
            if (config == null) {
                return Main.USAGE;
            }
            try {
                PeerDomainName.parse(domain, config.domains());
            } catch (IllegalArgumentException invalid) {
                System.err.println("skerry: " + invalid.getMessage());
                return Main.USAGE;
            }
            return askNode(config, List.of("federation", verb(), domain));
        }
    }

    @CommandLine.Command(name = "block", description = "Block a peer domain now and across restarts: its links"
            + " close with <policy-violation/>, its queued stanzas bounce with <not-allowed/>.")
    static final class Block extends OnePeer {
        @Override
        String verb() { return "block"; }
    }

    @CommandLine.Command(name = "unblock", description = "Lift a runtime block (not one of federation.blocked_domains).")
    static final class Unblock extends OnePeer {
        @Override
        String verb() { return "unblock"; }
    }

    @CommandLine.Command(name = "retry", description = "Retry a peer now instead of waiting for its backoff, and say"
            + " what happened.")
    static final class Retry extends OnePeer {
        @Override
        String verb() { return "retry"; }
    }

    private static int askNode(ConfigOptions options, List<String> words) {
        SkerryConfig config = options.loadOrReport();
        return config == null ? Main.USAGE : askNode(config, words);
    }

    /** Sends the request to the node running on the configured data directory and prints its answer. */
    private static int askNode(SkerryConfig config, List<String> words) {
        Optional<ControlClient.Answer> answer;
        try {
            answer = ControlClient.send(config.dataDir(), new ArrayList<>(words), null);
        } catch (IOException e) {
            System.err.println("skerry: the node did not answer: " + e.getMessage());
            return Main.FAILURE;
        }
        if (answer.isEmpty()) {
            System.err.println("skerry: no node is running on " + config.dataDir() + " (no "
                    + ControlProtocol.socketPath(config.dataDir()) + "): start it first; `federation "
                    + words.get(1) + "` acts on a running node");
            return Main.FAILURE;
        }
        if (!answer.get().ok()) {
            System.err.println("skerry: " + answer.get().text());
            return Main.FAILURE;
        }
        System.out.println(answer.get().text());
        return Main.OK;
    }
}
