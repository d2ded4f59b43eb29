package org.skerry.distribution;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.skerry.federation.check.FederationCheck;
import org.skerry.server.config.SkerryConfig;
import org.skerry.server.control.ControlClient;
import org.skerry.server.xmpp.Jid;
import picocli.CommandLine;

/**
 * {@code skerry federation check DOMAIN}: one line per step, each ok, failed or skipped with its reason. While the
 * node runs, the node itself runs the check (through its control socket), so that it can authenticate as its domain
 * and hear the ping's answer; when it is stopped, the CLI checks up to the certificate and skips those two steps.
 * The peers|block|unblock|retry subcommands are {@link FederationAdminCommands}.
 */
@CommandLine.Command(name = "federation", description = "Federation diagnostics: check DOMAIN.",
        subcommands = {FederationAdminCommands.Peers.class, FederationAdminCommands.Block.class,
                FederationAdminCommands.Unblock.class, FederationAdminCommands.Retry.class})
final class FederationCommand implements Callable<Integer> {
    private static final String NODE_NOT_RUNNING = "the node is not running: the peer verifies dialback and answers"
            + " the ping by connecting to this node, so start it and run the check again";

    @CommandLine.Mixin
    ConfigOptions options = new ConfigOptions();

    // Optional for picocli, which would otherwise demand them before the peers|block|unblock|retry subcommands too.
    @CommandLine.Parameters(index = "0", arity = "0..1", paramLabel = "ACTION", description = "check")
    String action;

    @CommandLine.Parameters(index = "1", arity = "0..1", paramLabel = "DOMAIN", description = "the peer server's domain")
    String domain;

    @Override
    public Integer call() {
        if (!"check".equals(action)) {
            System.err.println("skerry: " + (action == null ? "name an action" : "unknown action '" + action + "'")
                    + " (check, peers, block, unblock, retry)");
            return Main.USAGE;
        }
        if (domain == null) {
            System.err.println("skerry: name the peer, e.g. skerry federation check example.org");
            return Main.USAGE;
        }
        Jid peer = Jid.parseOrNull(domain);
        if (peer == null || !peer.isDomain()) {
            System.err.println("skerry: '" + domain + "' is not a domain");
            return Main.USAGE;
        }
        SkerryConfig config = options.loadOrReport();
        if (config == null) {
            return Main.USAGE;
        }
        System.out.println("Checking federation from " + config.domains().get(0) + " to " + peer.domain());
        try {
            Optional<ControlClient.Answer> viaNode = ControlClient.send(config.dataDir(),
                    List.of("federation", "check", peer.domain()), null);
            if (viaNode.isPresent()) {
                System.out.println(viaNode.get().text());
                return viaNode.get().ok() ? Main.OK : Main.FAILURE;
            }
        } catch (IOException e) {
            System.err.println("skerry: the running node did not answer: " + e.getMessage());
            return Main.FAILURE;
        }
        try {
            List<FederationCheck.Step> steps = FederationCheck.withoutNode(config, NODE_NOT_RUNNING, peer.domain(),
                    step -> System.out.println(step.line()));
            return steps.stream().anyMatch(FederationCheck.Step::failed) ? Main.FAILURE : Main.OK;
        } catch (IllegalStateException brokenConfiguration) {
            // Our own certificate or trust anchors: the configuration is at fault, not the peer.
            System.err.println("skerry: " + brokenConfiguration.getMessage());
            return Main.USAGE;
        }
    }
}
