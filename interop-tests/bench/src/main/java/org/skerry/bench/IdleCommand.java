package org.skerry.bench;

import java.time.Duration;
import java.util.List;
import org.skerry.bench.load.LoadGenerator;
import org.skerry.bench.load.LoginWave;
import org.skerry.bench.measure.JvmHeap;
import org.skerry.bench.measure.ProcessProbe;
import org.skerry.bench.result.RunResult;
import org.skerry.bench.xmpp.ClientSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * N clients log in and stay idle for the hold time: logins per second and login latency, the server's RSS (and
 * heap after GC for a JVM) per connection, the server's and the tool's CPU.
 */
@Command(name = "idle", mixinStandardHelpOptions = true,
        description = "Log N clients in, hold them idle, measure logins/s, latency, server memory and CPU per connection.")
final class IdleCommand extends ScenarioCommand {
    @Option(names = "--hold", defaultValue = "20s", description = "How long all stay logged in (default: ${DEFAULT-VALUE}).")
    Duration hold;

    @Option(names = "--warm-rounds", defaultValue = "0", description = "After the measured round has logged out, the same"
            + " clients log in this many times more (each round logging out before the next); the last round is reported"
            + " as warm_ figures. A JVM server's JIT compiler keeps a core busy through its first ~20000 logins, so the"
            + " first round's rate is a cold start's (default: ${DEFAULT-VALUE}).")
    int warmRounds;

    @Override
    String scenario() { return "idle"; }

    @Override
    int defaultClients() { return 1000; }

    @Override
    Duration defaultTimeout() { return Duration.ofMinutes(10).plus(hold); }

    @Override
    void run(LoadGenerator generator, RunResult result) throws InterruptedException {
        result.parameter("hold", hold.toString()).parameter("warm_rounds", warmRounds);
        List<ProcessProbe> servers = serverProbes();
        ProcessProbe server = servers.isEmpty() ? null : servers.get(0);
        double heapBefore = heap(); // first: the forced GC must not shrink the RSS after its baseline was taken
        double rssBefore = rss(server);
        double cpuStart = cpu(server);
        double toolStart = tool().cpuSeconds();

        OnlineEvents events = new OnlineEvents(result.errors());
        LoginWave wave = new LoginWave(generator, sessionSettings(), ClientSession.Mode.LOGIN, events,
                accounts(servers().get(0), common.userPattern, 0, clients()), common.concurrency);
        await(wave.start(), result, "");
        double cpuLoggedIn = cpu(server);
        double toolLoggedIn = tool().cpuSeconds();
        double rssLoggedIn = rss(server);

        hold(hold);
        double cpuEnd = cpu(server);
        double toolEnd = tool().cpuSeconds();
        double rssEnd = rss(server);
        double heapEnd = heap();
        List<ClientSession> sessions = wave.sessions();
        int connections = wave.succeeded();
        closeAll(sessions, events, result.errors());

        loginFigures(result, "", wave);
        if (warmRounds > 0) {
            warmRounds(generator, result, server);
        }
        result.figure("still_logged_in_at_end", sessions.size());
        result.figure("server_rss_before_kib", rssBefore);
        result.figure("server_rss_logged_in_kib", rssLoggedIn);
        result.figure("server_rss_end_kib", rssEnd);
        result.figure("server_rss_per_connection_kib", perConnection(rssEnd - rssBefore, connections));
        result.figure("server_rss_per_connection_logged_in_kib", perConnection(rssLoggedIn - rssBefore, connections));
        result.figure("server_heap_before_kib", heapBefore);
        result.figure("server_heap_end_kib", heapEnd);
        result.figure("server_heap_per_connection_kib", perConnection(heapEnd - heapBefore, connections));
        result.figure("server_cpu_login_s", cpuLoggedIn - cpuStart);
        result.figure("server_cpu_hold_s", cpuEnd - cpuLoggedIn);
        result.figure("tool_cpu_login_s", toolLoggedIn - toolStart);
        result.figure("tool_cpu_s", toolEnd - toolStart);
        result.figure("tool_vmhwm_kib", tool().hwmKib());
    }

    /**
     * The same clients log in {@code warmRounds} more times, logging out after each round; only the logins of the
     * last round are reported (memory is not: a process that had these connections before reuses what it kept).
     */
    private void warmRounds(LoadGenerator generator, RunResult result, ProcessProbe server) throws InterruptedException {
        OnlineEvents events = new OnlineEvents(result.errors());
        for (int round = 1; round <= warmRounds; round++) {
            double cpuStart = cpu(server);
            double toolStart = tool().cpuSeconds();
            LoginWave wave = new LoginWave(generator, sessionSettings(), ClientSession.Mode.LOGIN, events,
                    accounts(servers().get(0), common.userPattern, 0, clients()), common.concurrency);
            await(wave.start(), result, "warm:");
            if (round == warmRounds) {
                loginFigures(result, "warm_", wave);
                result.figure("warm_server_cpu_login_s", cpu(server) - cpuStart);
                result.figure("warm_tool_cpu_login_s", tool().cpuSeconds() - toolStart);
            }
            closeAll(wave.sessions(), events, result.errors());
        }
    }

    private static double perConnection(double kib, int connections) {
        return connections == 0 ? Double.NaN : kib / connections;
    }

    private static double rss(ProcessProbe server) { return server == null ? Double.NaN : server.rssKib(); }

    private static double cpu(ProcessProbe server) { return server == null ? Double.NaN : server.cpuSeconds(); }

    private double heap() {
        return common.jvmServer && !common.serverPids.isEmpty() ? JvmHeap.usedAfterGcKib(common.serverPids.get(0)) : Double.NaN;
    }
}
