package org.skerry.federation.queue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.skerry.server.Storage;
import org.skerry.server.xml.Element;
import org.skerry.server.xml.ElementParser;
import org.skerry.server.xmpp.StanzaError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery loop of one peer domain. One attempt at a time: bounce everything if the domain is blocked (also
 * when the admin blocks it in the middle of a batch) or the link said it cannot ever be reached, else bounce what
 * is older than the maximum age, read
 * the head of the queue, hand it to the link, and remove it from storage only once the peer acknowledged it;
 * then the next batch. A failure schedules the next attempt after an exponential backoff with jitter. Each peer
 * has its own loop, timer and storage lane, so a dead or slow peer delays nobody else.
 *
 * <p>Never blocks: storage work runs on the node's ordered executor in this peer's lane, and everything else
 * in the callbacks of those futures, of the link's futures, or of the scheduler.
 */
final class PeerQueue {
    private static final Logger log = LoggerFactory.getLogger(PeerQueue.class);

    /** The storage executor lane of a peer: its queue's reads and writes apply in the order they were asked for. */
    record Lane(String domain) {}

    private final String domain;
    private final Lane lane;
    private final Storage storage;
    private final QueueRepository repository;
    private final PeerLinks links;
    private final Bounces bounces;
    private final QueueSettings settings;
    private final Backoff backoff;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;

    // Guarded by this.
    private long depth;
    private int inFlight;
    private boolean attempting;
    private boolean wakeRequested;
    private ScheduledFuture<?> retryTimer;
    private Instant nextRetry;
    private int failures;
    private String lastError;
    private boolean closed;
    private long delivered;
    private long bounced;
    /** Admins waiting for the end of the current run of attempts (see {@link #retryNow}). */
    private final List<RetryWaiter> retryWaiters = new ArrayList<>();
    /** Set when the link said no retry can deliver to this domain; cleared once its queue is empty. */
    private UndeliverableException undeliverable;

    /** An admin's retry, with the counters when it asked, so that its outcome counts only its own run. */
    private record RetryWaiter(CompletableFuture<RetryOutcome> outcome, long deliveredBefore, long bouncedBefore) {}

    PeerQueue(String domain, long depth, Storage storage, QueueRepository repository, PeerLinks links,
              Bounces bounces, QueueSettings settings, Backoff backoff, ScheduledExecutorService scheduler,
              Clock clock) {
        this.domain = domain;
        this.lane = new Lane(domain);
        this.depth = depth;
        this.storage = storage;
        this.repository = repository;
        this.links = links;
        this.bounces = bounces;
        this.settings = settings;
        this.backoff = backoff;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    Lane lane() { return lane; }

    /** Takes a place in the queue for a new stanza; false when the peer's queue is full. */
    synchronized boolean reserve() {
        if (depth >= settings.maxPerPeer()) {
            return false;
        }
        depth++;
        return true;
    }

    /** Gives back places: the stanzas were refused by storage, acknowledged or bounced. */
    synchronized void release(int count) {
        depth -= count;
    }

    /** Starts an attempt now, unless one is running (it will look again) or a backoff timer is pending. */
    void wake() {
        synchronized (this) {
            if (closed || retryTimer != null) {
                return;
            }
            if (attempting) {
                wakeRequested = true;
                return;
            }
            attempting = true;
        }
        attempt();
    }

    /** The link became ready: cut the backoff short. */
    void linkReady() {
        synchronized (this) {
            if (retryTimer != null) {
                retryTimer.cancel(false);
                retryTimer = null;
                nextRetry = null;
            }
        }
        wake();
    }

    /**
     * The admin's "retry now": cuts a pending backoff short and attempts at once, like {@link #linkReady()}.
     * Completes when this run of attempts ends: the queue ran empty, or an attempt failed and the backoff resumed.
     */
    CompletableFuture<RetryOutcome> retryNow() {
        CompletableFuture<RetryOutcome> outcome = new CompletableFuture<>();
        synchronized (this) {
            if (closed) {
                return CompletableFuture.completedFuture(outcome(RetryOutcome.Result.STOPPED, delivered, bounced));
            }
            retryWaiters.add(new RetryWaiter(outcome, delivered, bounced));
        }
        linkReady();
        return outcome;
    }

    synchronized PeerStatus status() {
        return new PeerStatus(domain, depth, inFlight, failures, nextRetry, lastError);
    }

    void close() {
        List<RetryWaiter> waiting;
        synchronized (this) {
            closed = true;
            if (retryTimer != null) {
                retryTimer.cancel(false);
                retryTimer = null;
            }
            waiting = takeRetryWaiters();
        }
        complete(waiting, RetryOutcome.Result.STOPPED);
    }

    private void attempt() {
        next(List.of());
    }

    /** What one storage round found: stanzas past the maximum age, else the head of the queue. */
    private record Round(List<QueuedStanza> expired, List<QueuedStanza> head, RuntimeException readFailure) {}

    /**
     * One attempt. Its storage round first removes {@code acknowledged} (the batch before, which the peer
     * acknowledged: removed before the next batch is read, so it is never sent again), then reads what is older
     * than the maximum age, else the head: one task in the peer's lane, one wake-up of a storage thread per batch.
     */
    private void next(List<Long> acknowledged) {
        Instant cutoff = clock.instant().minus(settings.maxAge());
        storage.run(lane, () -> {
            if (!acknowledged.isEmpty()) {
                repository.remove(domain, acknowledged); // if it throws, nothing was removed: the batch goes again
            }
            try {
                List<QueuedStanza> expired = repository.queuedBefore(domain, cutoff, settings.batchSize());
                return new Round(expired, expired.isEmpty() ? repository.head(domain, settings.batchSize()) : List.of(),
                        null);
            } catch (RuntimeException readFailure) {
                return new Round(List.of(), List.of(), readFailure);
            }
        }).whenComplete((round, failure) -> {
            if (failure != null) {
                // Stays queued, so it goes again; the peer drops the repeat by its stanza-id.
                failed("storage: " + reason(failure));
                return;
            }
            if (!acknowledged.isEmpty()) {
                release(acknowledged.size());
                succeeded(acknowledged.size());
            }
            if (round.readFailure() != null) {
                failed("storage: " + reason(round.readFailure()));
            } else {
                dispatch(round);
            }
        });
    }

    private void dispatch(Round round) {
        if (links.isBlocked(domain)) {
            // Also what was queued before the admin blocked the domain is never sent: it bounces with not-allowed,
            // as a stanza routed now would.
            bounceAll(StanzaError.NOT_ALLOWED, "This server does not federate with " + domain);
            return;
        }
        UndeliverableException gone;
        synchronized (this) {
            gone = undeliverable;
        }
        if (gone != null) {
            // The link said that no retry can deliver to this domain (it does not exist): no use waiting for
            // queue_max_age.
            bounceAll(gone.condition(), gone.getMessage());
        } else if (!round.expired().isEmpty()) {
            log.info("Bouncing {} stanzas for {} older than {}", round.expired().size(), domain, settings.maxAge());
            bounce(round.expired(), StanzaError.REMOTE_SERVER_TIMEOUT,
                    "Not delivered to " + domain + " within " + settings.maxAge());
        } else if (round.head().isEmpty()) {
            finishedIdle();
        } else {
            send(round.head());
        }
    }

    /** Bounces everything queued for the domain, batch by batch. */
    private void bounceAll(StanzaError condition, String text) {
        withHead(rows -> {
            log.info("Bouncing {} stanzas queued for {}: {}", rows.size(), domain, text);
            bounce(rows, condition, text);
        });
    }

    /** Bounces first, removes after: a crash in between repeats a bounce instead of losing one. */
    private void bounce(List<QueuedStanza> rows, StanzaError condition, String text) {
        List<CompletableFuture<Void>> replies = new ArrayList<>();
        for (QueuedStanza row : rows) {
            Element stanza = parse(row);
            if (stanza == null) {
                continue;
            }
            StanzaIds.unstamp(stanza, row.stanzaId());
            replies.add(bounces.bounce(stanza, condition, text)
                    .exceptionally(failure -> {
                        log.warn("Bounce of stanza {} for {} failed: {}", row.stanzaId(), domain, reason(failure));
                        return null;
                    }));
        }
        CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new))
                .thenCompose(done -> removeAndRelease(ids(rows)))
                .whenComplete((done, failure) -> {
                    if (failure != null) {
                        failed("storage: " + reason(failure));
                    } else {
                        synchronized (this) {
                            bounced += rows.size();
                        }
                        attempt();
                    }
                });
    }

    /** Reads the oldest batch and hands it to {@code use}; an empty queue ends this attempt. */
    private void withHead(java.util.function.Consumer<List<QueuedStanza>> use) {
        storage.run(lane, () -> repository.head(domain, settings.batchSize())).whenComplete((rows, failure) -> {
            if (failure != null) {
                failed("storage: " + reason(failure));
            } else if (rows.isEmpty()) {
                finishedIdle();
            } else {
                use.accept(rows);
            }
        });
    }

    private void send(List<QueuedStanza> rows) {
        PeerLink link;
        try {
            link = links.linkFor(domain);
        } catch (RuntimeException e) {
            failed("no link: " + reason(e));
            return;
        }
        if (link == null || !link.isReady()) {
            failed("link not ready");
            return;
        }
        List<Element> stanzas = new ArrayList<>(rows.size());
        for (QueuedStanza row : rows) {
            Element stanza = parse(row);
            if (stanza != null) {
                stanzas.add(stanza);
            }
        }
        synchronized (this) {
            inFlight = stanzas.size();
        }
        CompletableFuture<Void> acknowledged;
        try {
            // A copy, so that our timeout does not complete the link's own future.
            acknowledged = link.send(stanzas).copy();
        } catch (RuntimeException e) {
            acknowledged = CompletableFuture.failedFuture(e);
        }
        acknowledged.orTimeout(settings.ackTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((done, failure) -> {
                    synchronized (this) {
                        inFlight = 0;
                    }
                    if (failure != null && links.isBlocked(domain)) {
                        // The admin blocked the peer while this batch was on its way, and closed the link under
                        // it: the batch bounces with not-allowed now, not after a backoff.
                        attempt();
                        return;
                    }
                    if (failure != null) {
                        if (cause(failure) instanceof UndeliverableException why) {
                            undeliverable(why);
                        } else {
                            failed("not acknowledged: " + reason(failure));
                        }
                        return;
                    }
                    next(ids(rows));
                });
    }

    private CompletableFuture<Void> removeAndRelease(List<Long> ids) {
        return storage.run(lane, () -> {
            repository.remove(domain, ids);
            return null;
        }).thenRun(() -> release(ids.size()));
    }

    /**
     * A stored stanza that no longer parses can be neither sent nor bounced: it is logged in full and removed with
     * its batch, so that it cannot block the queue behind it, and it leaves a trace.
     */
    private Element parse(QueuedStanza row) {
        Element stanza = ElementParser.parse(row.xml());
        if (stanza == null) {
            log.error("Queued stanza {} for {} does not parse and is skipped: {}", row.id(), domain, row.xml());
        }
        return stanza;
    }

    private void finishedIdle() {
        List<RetryWaiter> waiting;
        synchronized (this) {
            undeliverable = null; // nothing is left to bounce: the next stanza gets a fresh attempt
            if (wakeRequested && !closed) {
                wakeRequested = false;
                waiting = null;
            } else {
                attempting = false;
                waiting = takeRetryWaiters();
            }
        }
        if (waiting == null) {
            attempt();
        } else {
            complete(waiting, RetryOutcome.Result.EMPTIED);
        }
    }

    private void undeliverable(UndeliverableException why) {
        synchronized (this) {
            undeliverable = why;
            lastError = why.getMessage();
        }
        attempt();
    }

    private synchronized void succeeded(int acknowledged) {
        failures = 0;
        lastError = null;
        delivered += acknowledged;
    }

    private void failed(String reason) {
        List<RetryWaiter> waiting;
        RetryOutcome.Result result;
        synchronized (this) {
            attempting = false;
            wakeRequested = false;
            failures++;
            lastError = reason;
            waiting = takeRetryWaiters();
            result = closed ? RetryOutcome.Result.STOPPED : RetryOutcome.Result.FAILED;
            if (!closed) {
                Duration delay = backoff.delay(failures);
                nextRetry = clock.instant().plus(delay);
                retryTimer = scheduler.schedule(this::retry, delay.toMillis(), TimeUnit.MILLISECONDS);
                log.debug("Delivery to {} failed ({}), attempt {}; next in {}", domain, reason, failures, delay);
            }
        }
        complete(waiting, result);
    }

    private List<RetryWaiter> takeRetryWaiters() {
        List<RetryWaiter> waiting = List.copyOf(retryWaiters);
        retryWaiters.clear();
        return waiting;
    }

    /** Outside the lock: whoever waits may go on in this thread. */
    private void complete(List<RetryWaiter> waiting, RetryOutcome.Result result) {
        for (RetryWaiter waiter : waiting) {
            RetryOutcome outcome;
            synchronized (this) {
                outcome = outcome(result, waiter.deliveredBefore(), waiter.bouncedBefore());
            }
            waiter.outcome().complete(outcome);
        }
    }

    private RetryOutcome outcome(RetryOutcome.Result result, long deliveredBefore, long bouncedBefore) {
        boolean failed = result == RetryOutcome.Result.FAILED;
        return new RetryOutcome(domain, result, delivered - deliveredBefore, bounced - bouncedBefore, depth,
                failed ? lastError : null, failed ? nextRetry : null);
    }

    private void retry() {
        synchronized (this) {
            retryTimer = null;
            nextRetry = null;
        }
        wake();
    }

    private static List<Long> ids(List<QueuedStanza> rows) {
        return rows.stream().map(QueuedStanza::id).toList();
    }

    private static Throwable cause(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    private static String reason(Throwable failure) {
        Throwable cause = cause(failure);
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }
}
