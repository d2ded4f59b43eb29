package org.skerry.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.skerry.bench.load.LoadGenerator;
import org.skerry.bench.load.LoginWave;
import org.skerry.bench.load.StepPlan;
import org.skerry.bench.result.RunResult;
import org.skerry.bench.xmpp.Account;
import org.skerry.bench.xmpp.ClientSession;
import org.skerry.bench.xmpp.Server;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Users on two federated servers chat across the link: user i on server 1 with user i on server 2, both ways, at
 * a paced rate (optionally stepping like chat). A few messages each way open and warm the link first.
 */
@Command(name = "s2s", mixinStandardHelpOptions = true,
        description = "Pairs across two federated servers chat both ways at a paced rate: delivered msg/s, p50/p99, CPU of both servers.")
final class S2sCommand extends ScenarioCommand {
    @Option(names = "--host2", defaultValue = "127.0.0.1", description = "Address of the second server (default: ${DEFAULT-VALUE}).")
    String host2;

    @Option(names = "--port2", required = true, description = "Client port of the second server.")
    int port2;

    @Option(names = "--domain2", required = true, description = "Domain of the second server.")
    String domain2;

    @Option(names = "--user-pattern2", description = "Username pattern on the second server (default: --user-pattern).")
    String userPattern2;

    @Option(names = "--rate", defaultValue = "2000", description = "Messages per second in total, both directions (default: ${DEFAULT-VALUE}).")
    long rate;

    @Option(names = "--duration", defaultValue = "20s", description = "Measuring window (of each step) (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--step", defaultValue = "0", description = "Rate added per step; 0 runs one step (default: ${DEFAULT-VALUE}).")
    long step;

    @Option(names = "--max-rate", defaultValue = "0", description = "Highest step when stepping.")
    long maxRate;

    @Option(names = "--link-timeout", defaultValue = "30s", description = "Longest wait for the warm-up messages that open the link (default: ${DEFAULT-VALUE}).")
    Duration linkTimeout;

    @Mixin
    StepOptions steps;

    @Override
    String scenario() { return "s2s"; }

    @Override
    int defaultClients() { return 200; }

    @Override
    Duration defaultTimeout() { return Duration.ofMinutes(15); }

    @Override
    List<Server> servers() {
        return List.of(new Server(common.host, common.port, common.domain), new Server(host2, port2, domain2));
    }

    @Override
    void run(LoadGenerator generator, RunResult result) throws InterruptedException {
        StepPlan plan = steps.plan(StepPlan.rates(rate, step, maxRate), duration, result);
        result.parameter("host2", host2).parameter("port2", port2).parameter("domain2", domain2)
                .parameter("duration", duration.toString());
        int perSide = clients() / 2;
        List<Account> accounts = new ArrayList<>(accounts(servers().get(0), common.userPattern, 0, perSide));
        accounts.addAll(accounts(servers().get(1), userPattern2 != null ? userPattern2 : common.userPattern, perSide, perSide));
        OnlineEvents events = new OnlineEvents(result.errors());
        LoginWave wave = new LoginWave(generator, sessionSettings(), ClientSession.Mode.LOGIN, events, accounts,
                common.concurrency);
        await(wave.start(), result, "login:");
        loginFigures(result, "", wave);
        ChatPhase.run(this, result, events, wave, accounts, i -> i < perSide ? i + perSide : i - perSide, plan,
                Math.min(10, perSide), perSide, linkTimeout);
    }
}
