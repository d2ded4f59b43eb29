package org.skerry.distribution;

import java.util.concurrent.Callable;
import org.skerry.federation.check.FederationCheck;
import org.skerry.server.config.SkerryConfig;
import picocli.CommandLine;

/** {@code skerry federation check DOMAIN}: one line per step, each ok or failed with its reason. */
@CommandLine.Command(name = "federation", description = "Federation diagnostics: check DOMAIN.")
final class FederationCommand implements Callable<Integer> {
    @CommandLine.Mixin
    ConfigOptions options = new ConfigOptions();

    @CommandLine.Parameters(index = "0", paramLabel = "ACTION", description = "check")
    String action;

    @CommandLine.Parameters(index = "1", paramLabel = "DOMAIN", description = "the peer server's domain")
    String domain;

    @Override
    public Integer call() {
        if (!action.equals("check")) {
            System.err.println("skerry: unknown action '" + action + "' (check)");
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
