package org.skerry.federation.queue;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.skerry.server.ServerContext;
import org.skerry.server.Storage;

/**
 * Receiver-side half of exactly-once federation: drops a stanza that a peer sends again after a reconnect
 * because it never saw our acknowledgement. The key is the XEP-0359 stanza-id the peer's domain assigned
 * ({@link StanzaIds#assignedBy}, with the domain that authenticated on the link).
 *
 * <p>The link calls, per inbound stanza and in arrival order: {@link #firstTime}; if true, it routes the stanza
 * and then calls {@link #routed} (or {@link #abandoned} if routing failed), and acknowledges the stanza to the
 * peer only after {@code routed} completed. The id is committed after the stanza was routed, not before: a
 * crash in between makes the peer send it again and it is routed twice (at least once), whereas recording
 * first would lose it. While a stanza is being routed its id is held in memory, so a copy arriving meanwhile
 * on another link is dropped too.
 *
 * <p>The record is bounded per peer ({@code maxPerPeer} newest ids, and up to 1 % more between trims) and expires
 * after {@code retention}: the sending queue gives up after its maximum age, so a repeat can only come within that
 * time. A trim walks up to {@code maxPerPeer} index entries, so it runs once per 1 % of new ids, not per stanza
 * (per stanza it made relaying cost milliseconds of CPU per message once the record was full).
 */
public final class InboundDeduplicator {
    public static final int DEFAULT_MAX_PER_PEER = 100_000;

    /** The storage lane of a peer's record; distinct from the outbound queue's lane of the same domain. */
    private record Lane(String domain) {}

    private record Pending(String domain, String stanzaId) {}

    private final Storage storage;
    private final SeenIdRepository repository;
    private final Clock clock;
    private final Duration retention;
    private final int maxPerPeer;
    private final Set<Pending> routing = ConcurrentHashMap.newKeySet();
    private final int trimEvery;
    /** Ids recorded per peer since its last trim; updated on the peer's lane. */
    private final Map<String, Integer> recordedSinceTrim = new ConcurrentHashMap<>();
    private final Map<String, GroupCommit<String>> recorders = new ConcurrentHashMap<>();

    public InboundDeduplicator(Storage storage, Clock clock, Duration retention, int maxPerPeer) {
        this.storage = Objects.requireNonNull(storage, "storage");
        this.repository = new SeenIdRepository(storage.database());
        this.clock = Objects.requireNonNull(clock, "clock");
        if (retention.isNegative() || retention.isZero() || maxPerPeer < 1) {
            throw new IllegalArgumentException("need a positive retention and maxPerPeer");
        }
        this.retention = retention;
        this.maxPerPeer = maxPerPeer;
        this.trimEvery = Math.max(1, maxPerPeer / 100);
    }

    /** Keeps ids as long as the node's own queue keeps stanzas: {@code federation.queue_max_age}. */
    public static InboundDeduplicator forNode(ServerContext server) {
        return new InboundDeduplicator(server.storage(), server.clock(), server.config().federation().queueMaxAge(),
                DEFAULT_MAX_PER_PEER);
    }

    /**
     * True when the stanza with this id is new from this peer: neither recorded within the retention nor being
     * routed right now. A true answer marks it as being routed until {@link #routed} or {@link #abandoned}.
     */
    public CompletableFuture<Boolean> firstTime(String peerDomain, String stanzaId) {
        Pending key = new Pending(peerDomain, stanzaId);
        return storage.run(new Lane(peerDomain), () ->
                !repository.seenSince(peerDomain, stanzaId, clock.instant().minus(retention)) && routing.add(key));
    }

    /**
     * The stanza was routed: records its id (committed when the future completes) so repeats are dropped. Ids routed
     * while a record commits share the next commit.
     */
    public CompletableFuture<Void> routed(String peerDomain, String stanzaId) {
        return recorder(peerDomain).add(stanzaId)
                .whenComplete((done, failure) -> routing.remove(new Pending(peerDomain, stanzaId)));
    }

    private GroupCommit<String> recorder(String peerDomain) {
        return recorders.computeIfAbsent(peerDomain, domain -> new GroupCommit<>(storage, new Lane(domain), ids -> {
            boolean trim = recordedSinceTrim.merge(domain, ids.size(), Integer::sum) >= trimEvery;
            if (trim) {
                recordedSinceTrim.put(domain, 0);
            }
            repository.recordAll(domain, ids, clock.instant(), trim ? maxPerPeer : SeenIdRepository.NO_TRIM);
        }));
    }

    /** Routing failed: forget the mark, so that the peer's next copy is routed. */
    public void abandoned(String peerDomain, String stanzaId) {
        routing.remove(new Pending(peerDomain, stanzaId));
    }

    /** Deletes ids past the retention, for every peer; the owner calls it periodically. */
    public CompletableFuture<Integer> expire() {
        return storage.run("federation-dedupe-expiry", () -> repository.expire(clock.instant().minus(retention)));
    }
}
