package org.skerry.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.skerry.bench.xml.XmlFrameDecoder;
import org.skerry.bench.xmpp.Account;
import org.skerry.bench.xmpp.ClientSession;
import org.skerry.bench.xmpp.SessionEvents;
import org.skerry.bench.xmpp.SessionSettings;

/**
 * Logs in (or registers) a list of accounts with at most {@code concurrency} attempts in flight: each finished
 * attempt starts the next. No retries: a failed attempt is counted with its reason. Sessions that logged in stay
 * open and keep reporting to {@code online} (chat, drops, stanza errors).
 */
public final class LoginWave implements SessionEvents {
    private final LoadGenerator generator;
    private final SessionSettings settings;
    private final ClientSession.Mode mode;
    private final SessionEvents online;
    private final List<Account> accounts;
    private final int concurrency;
    private final AtomicReferenceArray<ClientSession> loggedIn;
    private final AtomicInteger next = new AtomicInteger();
    private final CountDownLatch finished;
    private final Latencies latencies = new Latencies();
    private final ErrorCounts errors = new ErrorCounts();
    private final AtomicInteger succeeded = new AtomicInteger();
    private final AtomicInteger alreadyExisted = new AtomicInteger();
    private final AtomicInteger tlsResumed = new AtomicInteger();
    private final AtomicLong lastSuccessNanos = new AtomicLong();
    private volatile boolean stopped;
    private long startNanos;

    public LoginWave(LoadGenerator generator, SessionSettings settings, ClientSession.Mode mode, SessionEvents online,
            List<Account> accounts, int concurrency) {
        this.generator = generator;
        this.settings = settings;
        this.mode = mode;
        this.online = online;
        this.accounts = accounts;
        this.concurrency = Math.max(1, concurrency);
        this.loggedIn = new AtomicReferenceArray<>(accounts.size());
        this.finished = new CountDownLatch(accounts.size());
    }

    /** Starts the first attempts; returns at once. */
    public LoginWave start() {
        startNanos = System.nanoTime();
        lastSuccessNanos.set(startNanos);
        for (int i = 0; i < Math.min(concurrency, accounts.size()); i++) {
            launchNext();
        }
        return this;
    }

    /**
     * Waits until every attempt has finished, at most {@code timeout}; false if it ran out, in which case no
     * further attempts start and those never started count as errors.
     */
    public boolean await(Duration timeout) throws InterruptedException {
        if (finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            return true;
        }
        stopped = true;
        int notStarted = Math.max(0, accounts.size() - next.get());
        errors.add("not-started:scenario-timeout", notStarted);
        return false;
    }

    private void launchNext() {
        if (stopped) {
            return;
        }
        int i = next.getAndIncrement();
        if (i >= accounts.size()) {
            return;
        }
        XmlFrameDecoder decoder = LoadGenerator.newDecoder();
        generator.open(new ClientSession(accounts.get(i), settings, this, mode, decoder), decoder);
    }

    @Override
    public void loggedIn(ClientSession session, long latencyNanos) {
        latencies.recordNanos(latencyNanos);
        if (session.tlsResumed()) {
            tlsResumed.incrementAndGet();
        }
        loggedIn.set(indexOf(session), session);
        countSuccess();
    }

    @Override
    public void registered(ClientSession session, boolean existed) {
        if (existed) {
            alreadyExisted.incrementAndGet();
        }
        countSuccess();
    }

    private void countSuccess() {
        succeeded.incrementAndGet();
        lastSuccessNanos.accumulateAndGet(System.nanoTime(), Math::max);
        finishedOne();
    }

    @Override
    public void attemptFailed(ClientSession session, String reason) {
        errors.add(reason);
        finishedOne();
    }

    private void finishedOne() {
        finished.countDown();
        launchNext();
    }

    private int indexOf(ClientSession session) {
        return session.account().index() - accounts.get(0).index();
    }

    @Override
    public void dropped(ClientSession session, String reason) {
        loggedIn.compareAndSet(indexOf(session), session, null);
        online.dropped(session, reason);
    }

    @Override
    public void chatReceived(String body, long receivedNanos) { online.chatReceived(body, receivedNanos); }

    @Override
    public void stanzaError(String reason) { online.stanzaError(reason); }

    /** Logins whose TLS handshake resumed an earlier session rather than running in full. */
    public int tlsResumed() { return tlsResumed.get(); }

    /** Sessions that logged in and have not dropped, in account order. */
    public List<ClientSession> sessions() {
        List<ClientSession> sessions = new ArrayList<>();
        for (int i = 0; i < loggedIn.length(); i++) {
            ClientSession session = loggedIn.get(i);
            if (session != null) {
                sessions.add(session);
            }
        }
        return sessions;
    }

    /** The session of the i-th account, or null if it did not log in or dropped. */
    public ClientSession session(int i) { return loggedIn.get(i); }

    public int succeeded() { return succeeded.get(); }

    public int alreadyExisted() { return alreadyExisted.get(); }

    public ErrorCounts errors() { return errors; }

    public Latencies latencies() { return latencies; }

    /** Seconds from the first connect to the last success. */
    public double seconds() { return (lastSuccessNanos.get() - startNanos) / 1e9; }
}
