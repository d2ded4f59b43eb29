package org.skerry.bench;

import java.time.Duration;
import java.util.List;
import org.skerry.bench.load.LoadGenerator;
import org.skerry.bench.load.LoginWave;
import org.skerry.bench.load.StepPlan;
import org.skerry.bench.result.RunResult;
import org.skerry.bench.xmpp.Account;
import org.skerry.bench.xmpp.ClientSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Clients log in as pairs (2k, 2k+1) and chat to each other's bare JID at a global paced rate, stepping up until
 * delivery or p99 fails, the tool cannot keep the pace, or the highest rate is done.
 */
@Command(name = "chat", mixinStandardHelpOptions = true,
        description = "Pairs chat at a paced global rate, in steps, until delivery or p99 fails: highest rate kept up, p50/p99, server CPU per message.")
final class ChatCommand extends ScenarioCommand {
    @Option(names = "--start-rate", defaultValue = "2000", description = "First step, messages per second in total (default: ${DEFAULT-VALUE}).")
    long startRate;

    @Option(names = "--step", defaultValue = "2000", description = "Rate added per step, 0 for one step (default: ${DEFAULT-VALUE}).")
    long step;

    @Option(names = "--max-rate", defaultValue = "40000", description = "Highest step (default: ${DEFAULT-VALUE}).")
    long maxRate;

    @Option(names = "--step-duration", defaultValue = "10s", description = "Measuring window of each step (default: ${DEFAULT-VALUE}).")
    Duration stepDuration;

    @Mixin
    StepOptions steps;

    @Override
    String scenario() { return "chat"; }

    @Override
    int defaultClients() { return 1000; }

    @Override
    Duration defaultTimeout() { return Duration.ofMinutes(30); }

    @Override
    void run(LoadGenerator generator, RunResult result) throws InterruptedException {
        StepPlan plan = steps.plan(StepPlan.rates(startRate, step, maxRate), stepDuration, result);
        result.parameter("step_duration", stepDuration.toString());
        int pairs = clients() / 2;
        List<Account> accounts = accounts(servers().get(0), common.userPattern, 0, pairs * 2);
        OnlineEvents events = new OnlineEvents(result.errors());
        LoginWave wave = new LoginWave(generator, sessionSettings(), ClientSession.Mode.LOGIN, events, accounts,
                common.concurrency);
        await(wave.start(), result, "login:");
        loginFigures(result, "", wave);
        ChatPhase.run(this, result, events, wave, accounts, i -> i ^ 1, plan, 0, accounts.size(), Duration.ZERO);
    }
}
