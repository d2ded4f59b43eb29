package org.skerry.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.skerry.bench.load.ErrorCounts;
import org.skerry.bench.load.LoadGenerator;
import org.skerry.bench.load.LoginWave;
import org.skerry.bench.measure.OpenFilesLimit;
import org.skerry.bench.measure.ProcessProbe;
import org.skerry.bench.result.RunResult;
import org.skerry.bench.xmpp.Account;
import org.skerry.bench.xmpp.ClientSession;
import org.skerry.bench.xmpp.ScramSha1;
import org.skerry.bench.xmpp.Server;
import org.skerry.bench.xmpp.SessionSettings;
import picocli.CommandLine.Mixin;

/**
 * What every load scenario shares: checks that it can run (open-files limit, the servers accept connections),
 * the Netty generator, the session settings, the scenario deadline, the result (printed, and written with
 * {@code --out}). Subclasses only run their phases.
 */
abstract class ScenarioCommand implements Callable<Integer> {
    /** Descriptors the tool needs besides its connections (jars, /proc reads, jcmd, the JVM itself). */
    private static final int SPARE_FILES = 200;

    @Mixin
    CommonOptions common;

    private long deadlineNanos;
    private final ScramSha1.SaltedPasswords saltedPasswords = new ScramSha1.SaltedPasswords();
    private SessionSettings settings;
    private final ProcessProbe tool = ProcessProbe.self();

    abstract String scenario();

    abstract int defaultClients();

    abstract Duration defaultTimeout();

    /** Connections open at once at the peak of the scenario. */
    int connectionsAtOnce() { return clients(); }

    /** The servers the scenario connects to. */
    List<Server> servers() { return List.of(new Server(common.host, common.port, common.domain)); }

    abstract void run(LoadGenerator generator, RunResult result) throws Exception;

    @Override
    public final Integer call() throws Exception {
        checkOpenFiles();
        for (Server server : servers()) {
            checkReachable(server);
        }
        String group = common.group != null ? common.group : defaultGroup();
        RunResult result = new RunResult(common.label, scenario(), group);
        Duration timeout = common.timeout != null ? common.timeout : defaultTimeout();
        deadlineNanos = System.nanoTime() + timeout.toNanos();
        result.parameter("host", common.host).parameter("port", common.port).parameter("domain", common.domain)
                .parameter("user_pattern", common.userPattern).parameter("first", common.first)
                .parameter("clients", clients()).parameter("tls", common.tls.name()).parameter("sasl", mechanism().saslName())
                .parameter("concurrency", common.concurrency).parameter("server_pids", common.serverPids)
                .parameter("timeout", timeout.toString());
        int ioThreads = common.ioThreads != null ? common.ioThreads : Runtime.getRuntime().availableProcessors();
        if (common.scramCache != null) {
            saltedPasswords.load(common.scramCache);
        }
        try (LoadGenerator generator = new LoadGenerator(ioThreads, common.sourceIps, common.loginTimeout)) {
            run(generator, result);
        }
        if (common.scramCache != null) {
            saltedPasswords.save(common.scramCache);
        }
        System.out.print(result.summary());
        if (common.out != null) {
            result.write(common.out);
        }
        return 0;
    }

    String defaultGroup() {
        return scenario() + " " + mechanism().saslName() + " " + (common.tls == CommonOptions.Tls.starttls ? "STARTTLS" : "plaintext");
    }

    int clients() { return common.clients != null ? common.clients : defaultClients(); }

    SessionSettings.Mechanism mechanism() { return common.sasl; }

    /** The same for every wave of the run, so that a reconnect finds the SaltedPassword of the first login. */
    SessionSettings sessionSettings() {
        if (settings == null) {
            settings = new SessionSettings(common.tls == CommonOptions.Tls.starttls ? LoadGenerator.trustingTlsContext(common.tlsGroups, common.jdkTls, common.tlsResume) : null,
                    mechanism(), common.resource, common.loginTimeout, saltedPasswords);
        }
        return settings;
    }

    /** Accounts {@code first .. first+count-1} of {@code pattern} on {@code server}, numbered from {@code index}. */
    List<Account> accounts(Server server, String pattern, int index, int count) {
        List<Account> accounts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            accounts.add(new Account(index + i, String.format(Locale.ROOT, pattern, common.first + i), common.password, server));
        }
        return accounts;
    }

    /** Probes of the --server-pid processes: "server", or "server1", "server2" when there are several. */
    List<ProcessProbe> serverProbes() {
        List<ProcessProbe> probes = new ArrayList<>();
        for (int i = 0; i < common.serverPids.size(); i++) {
            String name = common.serverPids.size() == 1 ? "server" : "server" + (i + 1);
            probes.add(ProcessProbe.of(name, common.serverPids.get(i)));
        }
        return probes;
    }

    ProcessProbe tool() { return tool; }

    Duration remaining() { return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime())); }

    long deadlineNanos() { return deadlineNanos; }

    /** Waits for a wave within the scenario's deadline, then adds its errors (with a prefix) to the result. */
    void await(LoginWave wave, RunResult result, String errorPrefix) throws InterruptedException {
        if (!wave.await(remaining())) {
            result.errors().add(errorPrefix + "scenario-timeout");
        }
        wave.errors().snapshot().forEach((reason, count) -> result.errors().add(errorPrefix + reason, count));
    }

    /** Sleeps for {@code duration}, or until the deadline if that comes first. */
    void hold(Duration duration) throws InterruptedException {
        long nanos = Math.min(duration.toNanos(), remaining().toNanos());
        if (nanos > 0) {
            TimeUnit.NANOSECONDS.sleep(nanos);
        }
    }

    /** Ends every session's stream politely and waits (bounded) until the connections are closed. */
    static void closeAll(List<ClientSession> sessions, OnlineEvents events, ErrorCounts errors) throws InterruptedException {
        events.closing();
        CountDownLatch closed = new CountDownLatch(sessions.size());
        for (ClientSession session : sessions) {
            session.close().addListener(done -> closed.countDown());
        }
        if (!closed.await(15, TimeUnit.SECONDS)) {
            errors.add("close:timeout", closed.getCount());
        }
    }

    /** Logged-in sessions' totals: "logged_in", latencies, logins per second. */
    static void loginFigures(RunResult result, String prefix, LoginWave wave) {
        result.figure(prefix + "logged_in", wave.succeeded());
        result.figure(prefix + "logins_per_s", wave.succeeded() / Math.max(wave.seconds(), 1e-9));
        result.figure(prefix + "login_p50_ms", wave.latencies().percentileMs(50));
        result.figure(prefix + "login_p99_ms", wave.latencies().percentileMs(99));
        result.figure(prefix + "login_max_ms", wave.latencies().maxMs());
        result.figure(prefix + "login_errors", wave.errors().total());
        result.figure(prefix + "login_tls_resumed", wave.tlsResumed());
    }

    private void checkOpenFiles() throws CannotRun {
        OptionalLong limit = OpenFilesLimit.current();
        if (limit.isPresent() && connectionsAtOnce() > limit.getAsLong() - SPARE_FILES) {
            throw new CannotRun(connectionsAtOnce() + " connections need an open-files limit of at least "
                    + (connectionsAtOnce() + SPARE_FILES) + ", but it is " + limit.getAsLong()
                    + ": raise it (ulimit -n) or run fewer clients");
        }
    }

    private static void checkReachable(Server server) throws CannotRun {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(server.host(), server.port()), 5000);
        } catch (IOException e) {
            throw new CannotRun("cannot reach " + server.domain() + " at " + server.host() + ":" + server.port() + ": "
                    + ClientSession.describe(e));
        }
    }
}
