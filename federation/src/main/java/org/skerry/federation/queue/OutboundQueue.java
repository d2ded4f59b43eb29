package org.skerry.federation.queue;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;
import org.skerry.server.ServerContext;
import org.skerry.server.routing.RemoteRouter;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Namespaces;
import org.skerry.server.xmpp.StanzaError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable outbound queue: the {@link RemoteRouter} of a federating node. A stanza for a remote domain is
 * stamped with an XEP-0359 stanza-id and committed to storage before {@link #route} completes, then the peer's
 * {@link PeerQueue} delivers it in order and removes it once the peer acknowledged it. Stanzas older than
 * {@link QueueSettings#maxAge()} bounce with remote-server-timeout; a full peer queue refuses new stanzas with
 * resource-constraint; a stanza for a blocked domain bounces at once with not-allowed. A restarted node resumes every peer that still has stanzas waiting.
 */
public final class OutboundQueue implements RemoteRouter, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OutboundQueue.class);

    /** How long {@link #close} waits for the storage work already queued in the peers' lanes. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final ServerContext server;
    private final QueueStore store;
    private final PeerLinks links;
    private final Bounces bounces;
    private final QueueSettings settings;
    private final Backoff backoff;
    /** The stanza-ids of this run of the node. */
    private final SequencedIds ids;
    private final Map<String, PeerQueue> peers = new ConcurrentHashMap<>();
    /** Per peer: stanzas routed while a commit runs share the next one (ids and order as if one by one). */
    private final Map<String, GroupCommit<Stamped>> appenders = new ConcurrentHashMap<>();
    /** Set by {@link #close}: later routes are refused instead of joining a commit that would find the store closed. */
    private volatile boolean closing;

    /** A stanza with its stanza-id, as stored and as the peer's queue hands it to the link after the commit. */
    private record Stamped(QueueStore.NewStanza row, Element stanza) {}

    private OutboundQueue(ServerContext server, QueueStore store, PeerLinks links, QueueSettings settings,
                          RandomGenerator jitter) {
        this.server = server;
        this.store = store;
        this.links = Objects.requireNonNull(links, "links");
        this.bounces = new Bounces(server.router());
        this.settings = settings;
        this.backoff = new Backoff(settings.retryInitial(), settings.retryMax(), jitter);
        this.ids = SequencedIds.newRun(new SecureRandom());
    }

    /**
     * Opens the queue on the node's storage and resumes delivery of whatever a previous run left queued. Blocks
     * while it reads the queue depths: call it at start-up, not on an event loop.
     */
    public static OutboundQueue start(ServerContext server, PeerLinks links, QueueSettings settings,
                                      RandomGenerator jitter) {
        QueueStore store = server.storage().run("federation-queue-start",
                () -> QueueStores.open(server.storage().database())).join();
        OutboundQueue queue = new OutboundQueue(server, store, links, settings, jitter);
        Map<String, Long> depths = server.storage().run("federation-queue-start", store::depths).join();
        depths.forEach((domain, depth) -> queue.peers.put(domain, queue.newPeer(domain, depth)));
        if (!depths.isEmpty()) {
            log.info("Resuming the outbound queue: {}", depths);
        }
        depths.keySet().forEach(domain -> queue.peers.get(domain).wake());
        return queue;
    }

    /** {@link #start(ServerContext, PeerLinks, QueueSettings, RandomGenerator)} with the node's settings. */
    public static OutboundQueue start(ServerContext server, PeerLinks links) {
        return start(server, links, QueueSettings.from(server.config().federation()), RandomGenerator.getDefault());
    }

    /**
     * Queues the stanza for {@code remoteDomain}. Completes once it is committed to storage; completes
     * exceptionally when it is refused (the peer's queue is full, or storage refused the work), after the
     * refusal was bounced to the sender.
     */
    @Override
    public CompletableFuture<Void> route(String remoteDomain, Element stanza) {
        if (links.isBlocked(remoteDomain)) {
            // RFC 6120 §8.3.3.10 names this case: not-allowed is for "sending to entities at a blacklisted domain".
            // It is of type cancel, so the sender's client does not retry.
            String reason = "This server does not federate with " + remoteDomain;
            bounces.bounce(stanza, StanzaError.NOT_ALLOWED, reason);
            return CompletableFuture.failedFuture(new StanzaRefusedException(reason));
        }
        if (!links.canReach(remoteDomain)) {
            String reason = "No server is known for " + remoteDomain;
            bounces.bounce(stanza, StanzaError.REMOTE_SERVER_NOT_FOUND, reason);
            return CompletableFuture.failedFuture(new StanzaRefusedException(reason));
        }
        if (closing) {
            return CompletableFuture.failedFuture(refuse(stanza, "The server is shutting down"));
        }
        PeerQueue peer = peers.computeIfAbsent(remoteDomain, domain -> newPeer(domain, 0));
        if (!peer.reserve()) {
            return CompletableFuture.failedFuture(refuse(stanza, "The queue for " + remoteDomain + " is full"));
        }
        Element stamped = stanza.copy();
        CompletableFuture<Void> committed;
        try {
            // Stamped as it joins the next commit, so that the peer's sequence numbers follow the order of its
            // queue: the receiver drops anything not above the highest number it routed (SequencedIds).
            committed = appender(remoteDomain, peer).add(() -> new Stamped(new QueueStore.NewStanza(
                    StanzaIds.stamp(stamped, ids.next()), stamped.toXml(Namespaces.CLIENT), server.clock().instant()),
                    stamped));
        } catch (IllegalArgumentException noSender) {
            peer.release(1);
            log.info("Not queued for {}: {}", remoteDomain, noSender.getMessage());
            return CompletableFuture.failedFuture(noSender);
        }
        CompletableFuture<Void> accepted = new CompletableFuture<>();
        committed.whenComplete((done, failure) -> {
            if (failure != null) {
                peer.release(1);
                log.warn("Could not queue a stanza for {}: {}", remoteDomain, failure.toString());
                accepted.completeExceptionally(refuse(stanza, "The stanza could not be queued"));
                return;
            }
            accepted.complete(null); // the commit already handed it to the peer's queue (appender)
        });
        return accepted;
    }

    /**
     * The peer's group commit. Right after each commit, still in the peer's lane, the committed stanzas go to its
     * queue, which may send them without reading them back.
     */
    private GroupCommit<Stamped> appender(String domain, PeerQueue peer) {
        return appenders.computeIfAbsent(domain, d -> new GroupCommit<>(server.storage(), peer.lane(), stamped -> {
            List<Long> queueIds = store.appendAll(d, stamped.stream().map(Stamped::row).toList());
            try {
                peer.committed(queueIds, stamped.stream().map(Stamped::stanza).toList());
            } catch (RuntimeException bug) {
                // Committed is committed: the route must not fail now, or the stanza would bounce and go too.
                log.error("Handing committed stanzas to the queue of {} failed; a read round sends them", d, bug);
                peer.wake();
            }
        }));
    }

    /** Bounces the stanza with resource-constraint; returns the exception the route future fails with. */
    private StanzaRefusedException refuse(Element stanza, String reason) {
        bounces.bounce(stanza, StanzaError.RESOURCE_CONSTRAINT, reason);
        return new StanzaRefusedException(reason);
    }

    /** Called by the link layer when a link to {@code domain} became ready: delivery starts without waiting. */
    public void peerReady(String domain) {
        PeerQueue peer = peers.get(domain);
        if (peer != null) {
            peer.linkReady();
        }
    }

    /** The admin blocked {@code domain}: what is queued for it bounces now with not-allowed, whatever its backoff. */
    public void bounceBlocked(String domain) {
        PeerQueue peer = peers.get(domain);
        if (peer != null) {
            peer.linkReady();
        }
    }

    /**
     * The admin's "retry now" for {@code domain}: its backoff is cut short and delivery is attempted at once.
     * Completes when that run of attempts ends (see {@link RetryOutcome.Result}).
     */
    public CompletableFuture<RetryOutcome> retryNow(String domain) {
        PeerQueue peer = peers.get(domain);
        if (peer == null) {
            return CompletableFuture.completedFuture(
                    new RetryOutcome(domain, RetryOutcome.Result.EMPTIED, 0, 0, 0, null, null));
        }
        return peer.retryNow();
    }

    /** When the oldest stanza still queued for each peer was queued; peers with nothing queued are absent. */
    public CompletableFuture<Map<String, Instant>> oldestQueued() {
        return server.storage().run("federation-queue-status", store::oldestQueued);
    }

    /** Every peer that has or had stanzas queued during this run, sorted by domain. */
    public List<PeerStatus> status() {
        List<PeerStatus> status = new ArrayList<>();
        peers.values().forEach(peer -> status.add(peer.status()));
        status.sort(Comparator.comparing(PeerStatus::domain));
        return status;
    }

    /** The bytes of the queue's own files (its journal); empty when it is a table of the database. */
    public OptionalLong diskBytes() {
        return store.diskBytes();
    }

    /**
     * Stops the delivery loops; whatever is queued stays in storage for the next start. Storage work already waiting
     * in a peer's lane runs first, for up to {@link #CLOSE_WAIT}: a group commit there holds stanzas whose senders
     * are still waiting for them to be accepted. Work still waiting after that fails and is done again after a start;
     * so does a lane whose no-op the storage executor refused (its queue was full). Routes from now on are refused.
     */
    @Override
    public void close() {
        closing = true;
        peers.values().forEach(PeerQueue::close);
        // A lane runs its work in order, so a no-op completes once everything queued before it in that lane ran.
        CompletableFuture<?>[] lanesDone = peers.values().stream()
                .map(peer -> server.storage().run(peer.lane(), () -> null))
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(lanesDone).get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("The outbound queue's storage work did not finish within {}; the rest is done after a start",
                    CLOSE_WAIT);
        } catch (ExecutionException e) {
            log.debug("A lane refused its last work at close: {}", e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }

    /** Where the stanzas are kept; for tests. */
    QueueStore store() {
        return store;
    }

    /** The queue of one peer, if it has had stanzas during this run; for tests. */
    PeerQueue peer(String domain) {
        return peers.get(domain);
    }

    private PeerQueue newPeer(String domain, long depth) {
        return new PeerQueue(domain, depth, server.storage(), store, links, bounces, settings, backoff,
                server.scheduler(), server.clock());
    }
}
