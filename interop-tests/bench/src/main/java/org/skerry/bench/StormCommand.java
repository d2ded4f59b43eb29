package org.skerry.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.skerry.bench.load.LoadGenerator;
import org.skerry.bench.load.LoginWave;
import org.skerry.bench.measure.PeakRss;
import org.skerry.bench.measure.ProcessProbe;
import org.skerry.bench.result.RunResult;
import org.skerry.bench.xmpp.Account;
import org.skerry.bench.xmpp.ClientSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The end of an outage: all clients logged in, every socket cut at once (RST, as a crashed network or NAT leaves
 * them), a pause, then all reconnect at once, without retries. The first login phase is preparation; the figures
 * are about the reconnect: time until all are back, errors, login latency, the server's peak memory and CPU.
 */
@Command(name = "storm", mixinStandardHelpOptions = true,
        description = "Log all in, cut every socket at once (RST), then reconnect all at once: time until all are back, errors, peak RSS.")
final class StormCommand extends ScenarioCommand {
    @Option(names = "--storm-concurrency", description = "Most reconnects in flight at once (default: all clients).")
    Integer stormConcurrency;

    @Option(names = "--pause", defaultValue = "1s", description = "Wait between the cut and the reconnect (default: ${DEFAULT-VALUE}).")
    Duration pause;

    @Override
    String scenario() { return "storm"; }

    @Override
    int defaultClients() { return 15000; }

    @Override
    Duration defaultTimeout() { return Duration.ofMinutes(15); }

    @Override
    void run(LoadGenerator generator, RunResult result) throws InterruptedException {
        int reconnectConcurrency = stormConcurrency != null ? stormConcurrency : clients();
        result.parameter("storm_concurrency", reconnectConcurrency).parameter("pause", pause.toString());
        OnlineEvents events = new OnlineEvents(result.errors());
        List<Account> accounts = accounts(servers().get(0), common.userPattern, 0, clients());
        LoginWave initial = new LoginWave(generator, sessionSettings(), ClientSession.Mode.LOGIN, events, accounts,
                common.concurrency);
        await(initial.start(), result, "initial-login:");
        List<ClientSession> before = initial.sessions();
        result.figure("initial_logged_in", before.size());
        result.figure("initial_login_s", initial.seconds());
        if (before.isEmpty()) {
            result.errors().add("storm:nobody-logged-in");
            return;
        }
        List<ProcessProbe> servers = serverProbes();
        ProcessProbe server = servers.isEmpty() ? null : servers.get(0);
        result.figure("server_rss_before_storm_kib", server == null ? Double.NaN : server.rssKib());

        cutAll(before, result);
        hold(pause);

        List<Account> again = new ArrayList<>();
        before.forEach(session -> again.add(session.account()));
        double cpuStart = server == null ? Double.NaN : server.cpuSeconds();
        double toolStart = tool().cpuSeconds();
        LoginWave storm;
        double[] peaks;
        try (PeakRss peak = new PeakRss(servers)) {
            storm = new LoginWave(generator, sessionSettings(), ClientSession.Mode.LOGIN, events, renumbered(again),
                    reconnectConcurrency);
            await(storm.start(), result, "reconnect:");
            peak.close();
            peaks = peak.peaksKib();
        }
        double cpuEnd = server == null ? Double.NaN : server.cpuSeconds();
        double toolEnd = tool().cpuSeconds();
        boolean allBack = storm.succeeded() == again.size();
        result.figure("reconnected", storm.succeeded());
        result.figure("reconnect_errors", storm.errors().total());
        result.figure("reconnect_all_back_s", allBack ? storm.seconds() : Double.NaN);
        result.figure("reconnect_last_login_s", storm.seconds());
        result.figure("reconnects_per_s", storm.succeeded() / Math.max(storm.seconds(), 1e-9));
        result.figure("reconnect_p50_ms", storm.latencies().percentileMs(50));
        result.figure("reconnect_p99_ms", storm.latencies().percentileMs(99));
        result.figure("reconnect_max_ms", storm.latencies().maxMs());
        result.figure("server_rss_peak_kib", peaks.length == 0 ? Double.NaN : peaks[0]);
        result.figure("server_vmhwm_kib", server == null ? Double.NaN : server.hwmKib());
        result.figure("server_cpu_storm_s", cpuEnd - cpuStart);
        result.figure("tool_cpu_storm_s", toolEnd - toolStart);
        result.figure("tool_vmhwm_kib", tool().hwmKib());
        closeAll(storm.sessions(), events, result.errors());
    }

    /** The same users, numbered from 0 again so that the new wave can index them. */
    private static List<Account> renumbered(List<Account> accounts) {
        List<Account> numbered = new ArrayList<>(accounts.size());
        for (Account account : accounts) {
            numbered.add(new Account(numbered.size(), account.user(), account.password(), account.server()));
        }
        return numbered;
    }

    private static void cutAll(List<ClientSession> sessions, RunResult result) throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(sessions.size());
        for (ClientSession session : sessions) {
            session.cut().addListener(done -> closed.countDown());
        }
        if (!closed.await(30, TimeUnit.SECONDS)) {
            result.errors().add("cut:timeout", closed.getCount());
        }
    }
}
