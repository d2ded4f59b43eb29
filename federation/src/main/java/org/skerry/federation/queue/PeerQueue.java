package org.skerry.federation.queue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.skerry.server.Storage;
import org.skerry.server.xml.Element;
import org.skerry.server.xml.ElementParser;
import org.skerry.server.xmpp.StanzaError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery loop of one peer domain. Stanzas go to the link in queue order and are removed from storage only
 * once the peer acknowledged them. Sending runs ahead of the acknowledgements, in as many batches as come, so a
 * stanza does not wait for the peer's answer about the one before; but stanzas sent and not yet removed never number
 * more than {@link QueueSettings#batchSize()} ({@link SendWindow}).
 * While nothing is left unread in storage, a stanza just committed goes to the link straight from
 * {@link #committed} without being read back; otherwise a read round fetches what follows the last stanza sent.
 * Acknowledged stanzas are removed together, {@link #REMOVAL_DELAY} after the acknowledgement, as soon as they
 * take half the window, or with the next read. Everything bounces if the domain is blocked (also when the admin
 * blocks it in the middle of a batch) or the link said it cannot ever be reached, and what is older than the
 * maximum age bounces with remote-server-timeout.
 * A failure starts a new session: whatever was not acknowledged goes again, from the oldest, after an exponential
 * backoff with jitter (the peer drops the repeats by their stanza-id). Each peer has its own loop, timer and storage
 * lane, so a dead or slow peer delays nobody else.
 *
 * <p>Never blocks: storage work runs on the node's ordered executor in this peer's lane, and everything else
 * in the callbacks of those futures, of the link's futures, or of the scheduler. Batches reach the link in the
 * order they were made, whichever thread made them ({@link Outbox}).
 */
final class PeerQueue {
    private static final Logger log = LoggerFactory.getLogger(PeerQueue.class);

    /**
     * How long acknowledged stanzas wait to be removed in one commit with those acknowledged after them, instead of
     * a commit each. A crash in between sends them again and the peer drops the repeats.
     */
    static final Duration REMOVAL_DELAY = Duration.ofMillis(20);

    /** The storage executor lane of a peer: its queue's reads and writes apply in the order they were asked for. */
    record Lane(String domain) {}

    private final String domain;
    private final Lane lane;
    private final Storage storage;
    private final QueueStore store;
    private final PeerLinks links;
    private final Bounces bounces;
    private final QueueSettings settings;
    private final Backoff backoff;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;

    // Guarded by this.
    private long depth;
    /** A read round is queued or running (with the bounces it started). */
    private boolean reading;
    /** Something asked for a read while one ran: it may have missed a stanza committed meanwhile. */
    private boolean readAgain;
    /** Storage may hold stanzas not yet handed to the link in this session: only a read round finds them. */
    private boolean backlog;
    private final SendWindow window;
    private final Outbox outbox = new Outbox(this::isCurrent, this::batchEnded);
    private boolean removalScheduled;
    /** Read rounds started; for tests. */
    private long readRounds;
    /** Armed while batches are unacknowledged: one timer per peer, not one per batch (see {@link #ackOverdue}). */
    private ScheduledFuture<?> ackWatchdog;
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

    PeerQueue(String domain, long depth, Storage storage, QueueStore store, PeerLinks links,
              Bounces bounces, QueueSettings settings, Backoff backoff, ScheduledExecutorService scheduler,
              Clock clock) {
        this.domain = domain;
        this.lane = new Lane(domain);
        this.depth = depth;
        this.backlog = depth > 0;
        this.window = new SendWindow(settings.batchSize());
        this.storage = storage;
        this.store = store;
        this.links = links;
        this.bounces = bounces;
        this.settings = settings;
        this.backoff = backoff;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    Lane lane() { return lane; }

    /** How many read rounds ran; for tests. */
    synchronized long readRounds() { return readRounds; }

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

    /**
     * Stanzas just committed to this peer's queue, with the ids they got, in id order. Called in this peer's storage
     * lane right after the commit, so before any later read of the lane. When nothing committed earlier is still
     * unread and the link is ready, they go to the link from here; else a read round will find them.
     */
    void committed(List<Long> ids, List<Element> stanzas) {
        PeerLink link = links.isBlocked(domain) ? null : readyLinkOrNull();
        boolean readNeeded;
        synchronized (this) {
            boolean streaming = link != null && !backlog && !reading && !closed && retryTimer == null
                    && undeliverable == null;
            int taken = streaming ? Math.min(ids.size(), window.room()) : 0;
            if (taken > 0 && ids.get(taken - 1) > window.sentThrough()) {
                queueBatch(link, ids.subList(0, taken), stanzas.subList(0, taken));
                readNeeded = taken < ids.size();
            } else {
                readNeeded = true; // a read round decides (it cannot be that these were sent already, but if so)
            }
            if (readNeeded) {
                backlog = true;
            }
        }
        outbox.drain();
        if (readNeeded) {
            wake();
        }
    }

    /** Starts a read round now, unless one is running (it will look again) or a backoff timer is pending. */
    void wake() {
        synchronized (this) {
            if (closed || retryTimer != null) {
                return;
            }
            if (reading || window.isRemoving()) {
                readAgain = true; // after the removal, or the read could find what it is removing
                return;
            }
            if (window.isFull()) {
                backlog = true; // the next acknowledgement reads on
                return;
            }
            reading = true;
            readAgain = false;
        }
        read();
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
        return new PeerStatus(domain, depth, window.unacknowledgedCount(), failures, nextRetry, lastError);
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

    /** What one read round found after the last stanza sent, or why it could not read. */
    private record Round(int session, int limit, List<QueuedStanza> rows, RuntimeException readFailure) {}

    /**
     * One read round, in the peer's lane: first removes what was acknowledged (so that it is never read, and sent,
     * again), then reads up to a batch of what follows the last stanza sent in this session.
     */
    private void read() {
        List<Long> removing;
        long after;
        int roundSession;
        int limit;
        synchronized (this) {
            readRounds++;
            removing = window.takeAcknowledged(); // removed before the read
            after = window.sentThrough();
            roundSession = window.session();
            limit = Math.max(1, window.room() + removing.size()); // gone from storage by the time it reads
        }
        storage.run(lane, () -> {
            if (!removing.isEmpty()) {
                store.remove(domain, removing); // if it throws, nothing was removed
            }
            try {
                return new Round(roundSession, limit, store.after(domain, after, limit), null);
            } catch (RuntimeException readFailure) {
                return new Round(roundSession, limit, List.of(), readFailure);
            }
        }).whenComplete((round, failure) -> {
            if (failure != null) {
                synchronized (this) {
                    window.putBackAcknowledged(removing);
                }
                roundFailed("storage: " + reason(failure));
                return;
            }
            synchronized (this) {
                window.removed(removing);
            }
            if (!removing.isEmpty()) {
                release(removing.size());
            }
            if (round.readFailure() != null) {
                roundFailed("storage: " + reason(round.readFailure()));
                return;
            }
            try {
                dispatch(round);
            } catch (RuntimeException bug) {
                // Else the round would count as running forever and this peer would never be read again.
                log.error("Delivery round for {} failed", domain, bug);
                roundFailed("internal error: " + reason(bug));
            }
        });
    }

    private void dispatch(Round round) {
        boolean blocked = links.isBlocked(domain);
        UndeliverableException gone;
        boolean stale;
        boolean unacknowledgedBatches;
        synchronized (this) {
            gone = undeliverable;
            stale = round.session() != window.session();
            unacknowledgedBatches = window.hasUnacknowledged();
        }
        if (stale) {
            roundEnded(true); // read from where the new session starts
            return;
        }
        if (blocked || gone != null) {
            if (unacknowledgedBatches) {
                // Wait for them: the link closes under them (or acknowledges them), and that reads on.
                roundWaits();
            } else if (round.rows().isEmpty()) {
                roundEnded(false);
            } else if (blocked) {
                // Also what was queued before the admin blocked the domain is never sent: it bounces with
                // not-allowed, as a stanza routed now would.
                bounce(round.rows(), StanzaError.NOT_ALLOWED, "This server does not federate with " + domain);
            } else {
                // The link said that no retry can deliver to this domain (it does not exist): no use waiting for
                // queue_max_age.
                bounce(round.rows(), gone.condition(), gone.getMessage());
            }
            return;
        }
        Instant cutoff = clock.instant().minus(settings.maxAge());
        List<QueuedStanza> expired = round.rows().stream().filter(row -> row.queuedAt().isBefore(cutoff)).toList();
        if (!expired.isEmpty()) {
            log.info("Bouncing {} stanzas for {} older than {}", expired.size(), domain, settings.maxAge());
            bounce(expired, StanzaError.REMOTE_SERVER_TIMEOUT,
                    "Not delivered to " + domain + " within " + settings.maxAge());
        } else if (round.rows().isEmpty()) {
            roundEnded(false);
        } else {
            send(round);
        }
    }

    /** Bounces first, removes after: a crash in between repeats a bounce instead of losing one. */
    private void bounce(List<QueuedStanza> rows, StanzaError condition, String text) {
        if (condition != StanzaError.REMOTE_SERVER_TIMEOUT) {
            log.info("Bouncing {} stanzas queued for {}: {}", rows.size(), domain, text);
        }
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
                        roundFailed("storage: " + reason(failure));
                    } else {
                        synchronized (this) {
                            bounced += rows.size();
                        }
                        roundEnded(true);
                    }
                });
    }

    private void send(Round round) {
        PeerLink link;
        try {
            link = links.linkFor(domain);
        } catch (RuntimeException e) {
            roundFailed("no link: " + reason(e));
            return;
        }
        if (link == null || !link.isReady()) {
            roundFailed("link not ready");
            return;
        }
        List<QueuedStanza> rows = round.rows();
        List<Element> stanzas = new ArrayList<>(rows.size());
        for (QueuedStanza row : rows) {
            stanzas.add(parse(row)); // null for one that does not parse: queueBatch leaves it out
        }
        boolean stale;
        synchronized (this) {
            stale = round.session() != window.session();
            if (!stale) {
                queueBatch(link, ids(rows), stanzas);
            }
        }
        outbox.drain();
        roundEnded(stale || rows.size() >= round.limit());
    }

    /** Makes a batch of the next stanzas of this session and queues it for the link; called holding the lock. */
    private void queueBatch(PeerLink link, List<Long> ids, List<Element> stanzas) {
        outbox.add(link, window.send(ids, stanzas));
        if (ackWatchdog == null) {
            armAckWatchdog(settings.ackTimeout().toNanos());
        }
    }

    private void batchEnded(SendWindow.Batch batch, Throwable failure) {
        if (failure == null) {
            batchAcknowledged(batch);
        } else {
            batchFailed(batch, failure);
        }
    }

    /** Called holding the lock. */
    private void armAckWatchdog(long delayNanos) {
        try {
            ackWatchdog = scheduler.schedule(this::ackOverdue, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopping) {
            ackWatchdog = null; // the node stops; what is unacknowledged stays queued for the next start
        }
    }

    /**
     * The oldest unacknowledged batch fails once it waited {@link QueueSettings#ackTimeout()}, as if its link broke:
     * the session starts again from it. A scheduler task per batch instead would stay queued for the whole timeout
     * after its batch was acknowledged, thousands of them under load.
     */
    private void ackOverdue() {
        SendWindow.Batch overdue = null;
        synchronized (this) {
            ackWatchdog = null;
            SendWindow.Batch oldest = window.oldestUnacknowledged();
            if (oldest == null || closed) {
                return;
            }
            long waited = System.nanoTime() - oldest.madeNanos();
            long timeout = settings.ackTimeout().toNanos();
            if (waited >= timeout) {
                overdue = oldest;
            } else {
                armAckWatchdog(timeout - waited);
            }
        }
        if (overdue != null) {
            batchFailed(overdue, new TimeoutException());
        }
    }

    private void batchAcknowledged(SendWindow.Batch batch) {
        AfterAcknowledged next;
        synchronized (this) {
            if (!window.acknowledged(batch)) {
                return; // of an earlier session, which failed: the current one sends it again
            }
            failures = 0;
            lastError = null;
            delivered += batch.ids().size();
            next = afterAcknowledged(backlog);
        }
        act(next);
    }

    /** What to do about acknowledged stanzas that are not yet removed. */
    private enum AfterAcknowledged { READ, REMOVE, SCHEDULE_REMOVAL, NOTHING }

    /**
     * Under the lock. With stanzas waiting on disk ({@code readOn}), a read round removes them first, then reads;
     * else they are removed at once when they crowd the room for new stanzas, or a little later with those after
     * them.
     */
    private AfterAcknowledged afterAcknowledged(boolean readOn) {
        if (readOn) {
            return AfterAcknowledged.READ;
        }
        if (window.acknowledgedCount() * 2 >= settings.batchSize()) {
            return AfterAcknowledged.REMOVE;
        }
        if (window.acknowledgedCount() > 0 && !removalScheduled && !closed) {
            removalScheduled = true;
            return AfterAcknowledged.SCHEDULE_REMOVAL;
        }
        return AfterAcknowledged.NOTHING;
    }

    /** Outside the lock. */
    private void act(AfterAcknowledged next) {
        switch (next) {
            case READ -> wake();
            case REMOVE -> removeAcknowledged();
            case SCHEDULE_REMOVAL -> scheduleRemoval();
            case NOTHING -> { }
        }
    }

    /** Arms the removal timer; the caller set {@link #removalScheduled}. */
    private void scheduleRemoval() {
        try {
            scheduler.schedule(this::removalDue, REMOVAL_DELAY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            synchronized (this) {
                removalScheduled = false; // the node stops: the next start sends them again
            }
        }
    }

    /** Acknowledged stanzas waited long enough: they are removed (by a read round if stanzas wait on disk). */
    private void removalDue() {
        boolean readOn;
        synchronized (this) {
            removalScheduled = false;
            readOn = backlog;
        }
        if (readOn) {
            wake();
        } else {
            removeAcknowledged();
        }
    }

    /**
     * Removes what was acknowledged, in the peer's lane, without a read: unlike a read round it leaves
     * {@link #committed} streaming new stanzas to the link meanwhile (a read round makes them wait on disk for the
     * next read, which put one stanza in a hundred on the slow path at 2000 msg/s). Only while nothing waits on
     * disk and no read round runs, one removal at a time; a read round asked for meanwhile waits for it
     * ({@link #wake}), so that it cannot read what is being removed. A failed removal counts as a failed round: the
     * ids go back, and the retry after the backoff removes them first.
     */
    private void removeAcknowledged() {
        List<Long> removing;
        boolean readInstead = false;
        synchronized (this) {
            if (closed || window.acknowledgedCount() == 0 || window.isRemoving()) {
                return; // a removal that runs looks again when it ends
            }
            if (backlog || reading) {
                readInstead = true; // a read round removes before it reads
                removing = List.of();
            } else {
                removing = window.takeAcknowledged();
            }
        }
        if (readInstead) {
            wake();
            return;
        }
        storage.run(lane, () -> {
            store.remove(domain, removing); // if it throws, nothing was removed
            return null;
        }).whenComplete((done, failure) -> {
            if (failure != null) {
                synchronized (this) {
                    window.putBackAcknowledged(removing);
                }
                failed("storage: " + reason(failure)); // as a read round that failed: the retry removes them first
                return;
            }
            removalEnded(removing);
        });
    }

    /** A removal of {@link #removeAcknowledged} is done: reads what waits, removes what was acknowledged meanwhile. */
    private void removalEnded(List<Long> removed) {
        release(removed.size());
        List<RetryWaiter> emptied = null;
        AfterAcknowledged next;
        synchronized (this) {
            window.removed(removed);
            boolean readOn = backlog || readAgain;
            next = afterAcknowledged(readOn);
            if (!readOn && !reading && window.isEmpty()) {
                undeliverable = null;
                emptied = takeRetryWaiters();
            }
        }
        act(next);
        if (emptied != null) {
            complete(emptied, RetryOutcome.Result.EMPTIED);
        }
    }

    private void batchFailed(SendWindow.Batch batch, Throwable failure) {
        synchronized (this) {
            if (!window.isCurrent(batch)) {
                return; // that session already failed: the new one sends it again
            }
        }
        if (links.isBlocked(domain)) {
            // The admin blocked the peer while this batch was on its way, and closed the link under it: the batch
            // bounces with not-allowed now, not after a backoff.
            synchronized (this) {
                newSession();
            }
            wake();
        } else if (cause(failure) instanceof UndeliverableException why) {
            undeliverable(why);
        } else {
            failed("not acknowledged: " + reason(failure));
        }
    }

    /** Whatever was not acknowledged goes again, from the oldest; called holding the lock. */
    private void newSession() {
        window.restart();
        backlog = true;
        readAgain = true; // a read round running now reads for the old session: the next one starts afresh
    }

    private PeerLink readyLinkOrNull() {
        try {
            PeerLink link = links.linkFor(domain);
            return link != null && link.isReady() ? link : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** For the outbox: a batch of a session that failed meanwhile is not sent (the new one sends it again). */
    private synchronized boolean isCurrent(SendWindow.Batch batch) {
        return window.isCurrent(batch);
    }

    private CompletableFuture<Void> removeAndRelease(List<Long> ids) {
        return storage.run(lane, () -> {
            store.remove(domain, ids);
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

    /**
     * The read round ended; {@code moreStored} when storage may hold more to send. Reads on if so (or if a read was
     * asked for meanwhile) and the window allows; the queue ran empty when nothing is unread, unacknowledged or
     * waiting for removal.
     */
    private void roundEnded(boolean moreStored) {
        boolean again;
        List<RetryWaiter> emptied = null;
        synchronized (this) {
            backlog = moreStored || readAgain;
            readAgain = false;
            again = backlog && !closed && retryTimer == null && !window.isFull();
            reading = again;
            if (!backlog && window.isEmpty()) {
                undeliverable = null; // nothing is left to bounce: the next stanza gets a fresh attempt
                emptied = takeRetryWaiters();
            }
        }
        if (again) {
            read();
        } else if (emptied != null) {
            complete(emptied, RetryOutcome.Result.EMPTIED);
        }
    }

    /** The read round cannot go on now; what is unacknowledged reads on when it is acknowledged or fails. */
    private synchronized void roundWaits() {
        reading = false;
        backlog = true;
    }

    private void roundFailed(String reason) {
        synchronized (this) {
            reading = false;
        }
        failed(reason);
    }

    private void undeliverable(UndeliverableException why) {
        synchronized (this) {
            newSession();
            undeliverable = why;
            lastError = why.getMessage();
        }
        wake();
    }

    private void failed(String reason) {
        List<RetryWaiter> waiting;
        RetryOutcome.Result result;
        synchronized (this) {
            newSession();
            failures++;
            lastError = reason;
            waiting = takeRetryWaiters();
            result = closed ? RetryOutcome.Result.STOPPED : RetryOutcome.Result.FAILED;
            if (!closed) {
                Duration delay = backoff.delay(failures);
                nextRetry = clock.instant().plus(delay);
                if (retryTimer != null) {
                    retryTimer.cancel(false);
                }
                try {
                    retryTimer = scheduler.schedule(this::retry, delay.toMillis(), TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException stopping) {
                    retryTimer = null; // the node stops; what is queued stays for the next start
                }
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
