package org.skerry.federation.queue;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.skerry.server.ServerContext;
import org.skerry.server.Storage;

/**
 * Receiver-side half of exactly-once federation: drops a stanza that a peer sends again after a reconnect
 * because it never saw our acknowledgement. The key is the XEP-0359 stanza-id the peer's domain assigned
 * ({@link StanzaIds#assignedBy}, with the domain that authenticated on the link), in the ordered form a Skerry
 * queue stamps ({@link SequencedIds}): run and sequence. A peer's queue sends in order and, after a broken link,
 * again from its oldest unacknowledged stanza, so a stanza is a repeat exactly when its sequence is not above the
 * highest one already claimed of its run. Any other id (another server's) is routed every time.
 *
 * <p>The link calls, per inbound stanza and in arrival order: {@link #firstTime}; if true, it routes the stanza
 * and then calls {@link #routed} (or {@link #abandoned} if routing failed). The check is in memory: the claim is
 * atomic, so a copy arriving on another link while the first is being routed is dropped too. What is stored is
 * the highest sequence below which every claimed stanza finished routing, written after routing, not before: a
 * crash in between makes the peer send the stanza again and it is routed twice (at least once), whereas storing
 * first would lose it. Writes of one peer coalesce ({@code writeDelay}): one small row update per run and
 * interval, not a row per stanza.
 *
 * <p>Bounded: the newest {@code maxRunsPerPeer} runs of each peer (a run is one start of the peer's node; an
 * older run's repeat would be routed again), and marks expire after {@code retention}: the sending queue gives up
 * after its maximum age, so a repeat can only come within that time.
 */
public final class InboundDeduplicator {
    public static final int DEFAULT_MAX_RUNS_PER_PEER = 16;
    /**
     * How long finished claims gather before they are written: one commit per peer per interval instead of one per
     * stanza. It only widens a window that exists anyway: a stanza the peer saw acknowledged is never sent again,
     * so a mark matters only for one routed but not yet acknowledged when this node died.
     */
    public static final Duration DEFAULT_WRITE_DELAY = Duration.ofMillis(20);

    /** The storage lane of a peer's marks; distinct from the outbound queue's lane of the same domain. */
    private record Lane(String domain) {}

    private final Storage storage;
    private final PeerMarkRepository repository;
    private final Clock clock;
    private final Duration retention;
    private final int maxRunsPerPeer;
    private final ScheduledExecutorService scheduler;
    private final Duration writeDelay;
    private final Map<String, Peer> peers = new ConcurrentHashMap<>();

    /** A peer's marks once read from storage, and how many claims wait in its storage lane; guarded by itself. */
    private static final class Peer {
        private PeerMarks marks;
        private int waiting;

        synchronized PeerMarks marks() { return marks; }

        synchronized boolean idle() { return waiting == 0; }
    }

    public InboundDeduplicator(Storage storage, Clock clock, Duration retention, int maxRunsPerPeer,
            ScheduledExecutorService scheduler, Duration writeDelay) {
        this.storage = Objects.requireNonNull(storage, "storage");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.writeDelay = Objects.requireNonNull(writeDelay, "writeDelay");
        this.repository = new PeerMarkRepository(storage.database());
        this.clock = Objects.requireNonNull(clock, "clock");
        if (retention.isNegative() || retention.isZero() || maxRunsPerPeer < 1) {
            throw new IllegalArgumentException("need a positive retention and maxRunsPerPeer");
        }
        this.retention = retention;
        this.maxRunsPerPeer = maxRunsPerPeer;
    }

    /** Keeps marks as long as the node's own queue keeps stanzas: {@code federation.queue_max_age}. */
    public static InboundDeduplicator forNode(ServerContext server) {
        return new InboundDeduplicator(server.storage(), server.clock(), server.config().federation().queueMaxAge(),
                DEFAULT_MAX_RUNS_PER_PEER, server.scheduler(), DEFAULT_WRITE_DELAY);
    }

    /**
     * True when the stanza with this id is new from this peer; a true answer claims it, so that a copy is dropped
     * from now on. Claims are made in the order of the calls: from memory once the peer's stored marks were read,
     * until then (the first stanzas of a peer) in the peer's storage lane, behind the read.
     */
    public CompletableFuture<Boolean> firstTime(String peerDomain, String stanzaId) {
        SequencedIds.Parsed id = SequencedIds.parse(stanzaId);
        if (id == null) {
            return CompletableFuture.completedFuture(true);
        }
        Peer peer = peers.computeIfAbsent(peerDomain, domain -> new Peer());
        synchronized (peer) {
            if (peer.marks != null && peer.waiting == 0) {
                return CompletableFuture.completedFuture(peer.marks.claim(id.run(), id.sequence(), clock.instant()));
            }
            peer.waiting++; // later calls queue behind this one, so that no claim overtakes an earlier one
        }
        return storage.run(new Lane(peerDomain), () -> {
            try {
                PeerMarks marks = peer.marks();
                if (marks == null) { // the first in the lane reads; only lane tasks read, one at a time
                    marks = new PeerMarks(maxRunsPerPeer,
                            repository.load(peerDomain, clock.instant().minus(retention), maxRunsPerPeer), clock.instant());
                }
                synchronized (peer) {
                    peer.marks = marks;
                    return marks.claim(id.run(), id.sequence(), clock.instant());
                }
            } finally {
                synchronized (peer) {
                    peer.waiting--;
                }
            }
        });
    }

    /**
     * The stanza was routed. Completes when a write that covers it committed, or at once when nothing new can be
     * stored yet (an earlier stanza of the same run is still being routed; its own finish stores both).
     */
    public CompletableFuture<Void> routed(String peerDomain, String stanzaId) {
        SequencedIds.Parsed id = SequencedIds.parse(stanzaId);
        Peer peer = peers.get(peerDomain);
        PeerMarks marks = peer == null ? null : peer.marks();
        if (id == null || marks == null) {
            return CompletableFuture.completedFuture(null);
        }
        PeerMarks.Finish finish = marks.finished(id.run(), id.sequence());
        if (finish == null) {
            return CompletableFuture.completedFuture(null);
        }
        if (finish.queueIt()) {
            try {
                scheduler.schedule(() -> queueWrite(peerDomain, marks, finish.write()), writeDelay.toMillis(),
                        TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                refused(marks, finish.write(), stopping);
            }
        }
        return finish.write();
    }

    private void queueWrite(String peerDomain, PeerMarks marks, CompletableFuture<Void> write) {
        storage.run(new Lane(peerDomain), () -> {
            write(peerDomain, marks);
            return null;
        }).whenComplete((done, refused) -> {
            if (refused != null) {
                refused(marks, write, refused);
            }
        });
    }

    /** Storage or the scheduler never ran the write; the next finish queues another. */
    private static void refused(PeerMarks marks, CompletableFuture<Void> write, Throwable why) {
        marks.writeRefused(write);
        write.completeExceptionally(why);
    }

    /** Stores what the peer's marks hold unstored; on the storage lane of the peer. */
    private void write(String peerDomain, PeerMarks marks) {
        PeerMarks.Unstored unstored = marks.takeUnstored();
        try {
            if (!unstored.isEmpty()) {
                repository.save(peerDomain, unstored.marks(), unstored.forgotten(), clock.instant());
            }
        } catch (RuntimeException failure) {
            marks.notStored(unstored);
            unstored.write().completeExceptionally(failure);
            return;
        }
        marks.stored(unstored);
        unstored.write().complete(null);
    }

    /**
     * Routing failed. The claim stays (later stanzas of the run may be claimed already): a copy sent again is
     * dropped. The peer counts the stanza as handled either way (XEP-0198 acknowledges it), so it would not send
     * it again over a link that stays up.
     */
    public void abandoned(String peerDomain, String stanzaId) {
        routed(peerDomain, stanzaId);
    }

    /** Deletes marks past the retention, for every peer; the owner calls it periodically. */
    public CompletableFuture<Integer> expire() {
        var cutoff = clock.instant().minus(retention);
        peers.forEach((domain, peer) -> {
            PeerMarks marks = peer.marks();
            if (marks != null && marks.expire(cutoff) && peer.idle()) {
                peers.remove(domain, peer);
            }
        });
        return storage.run("federation-dedupe-expiry", () -> repository.expire(cutoff));
    }
}
