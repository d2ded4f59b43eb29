package org.skerry.distribution;

import java.util.concurrent.Callable;
import org.skerry.federation.check.FederationCheck;
import org.skerry.server.config.SkerryConfig;
import picocli.CommandLine;

/** {@code skerry federation check DOMAIN}: one line per step, each ok or failed with its reason. */
@CommandLine.Command(name = "federation", description = "Federation diagnostics: check DOMAIN.",
        subcommands = {FederationAdminCommands.Peers.class, FederationAdminCommands.Block.class,
                FederationAdminCommands.Unblock.class, FederationAdminCommands.Retry.class})
final class FederationCommand implements Callable<Integer> {
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
        SkerryConfig config = options.loadOrReport();
        if (config == null) {
            return Main.USAGE;
        }
        System.out.println("Checking federation from " + config.domains().get(0) + " to " + domain);
        try {
            boolean allOk = FederationCheck.run(config, domain, step -> System.out.println(step.line()));
            return allOk ? Main.OK : Main.FAILURE;
        } catch (IllegalStateException brokenConfiguration) {
            // Our own certificate or trust anchors: the configuration is at fault, not the peer.
            System.err.println("skerry: " + brokenConfiguration.getMessage());
            return Main.USAGE;
        }
    }
}
