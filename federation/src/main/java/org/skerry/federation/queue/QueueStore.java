package org.skerry.federation.queue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Where the outbound queue keeps its stanzas: {@link QueueJournal} beside an embedded H2 file, {@link QueueRepository}
 * (the {@code federation_queue} table) on a database server. Called only on the storage executor, in the lane of the
 * peer domain, which keeps the id order equal to the route order of each peer; every write is durable, as far as a
 * killed process goes, when the method returns.
 */
interface QueueStore extends AutoCloseable {
    /** A stanza to append: its XEP-0359 id, its serialized form and when it was routed. */
    record NewStanza(String stanzaId, String xml, Instant queuedAt) {}

    /**
     * Appends stanzas to the peer's queue in the given order, all or none; stored on return. Returns the ids they
     * got, in the same order and above every id the peer's queue holds: the queue hands just-stored stanzas to the
     * link without reading them back.
     */
    List<Long> appendAll(String peerDomain, List<NewStanza> stanzas);

    /** The oldest {@code limit} stanzas of the peer with an id above {@code afterId}, in route order. */
    List<QueuedStanza> after(String peerDomain, long afterId, int limit);

    /** The oldest {@code limit} stanzas of the peer, in route order. */
    default List<QueuedStanza> head(String peerDomain, int limit) {
        return after(peerDomain, 0, limit);
    }

    /** Removes acknowledged or bounced stanzas; ids already gone are ignored, so a repeat is harmless. */
    void remove(String peerDomain, List<Long> ids);

    /** Queue depth of every peer that has stanzas waiting: what a restarted node resumes. */
    Map<String, Long> depths();

    /** For each peer with stanzas waiting, when its oldest one was queued. */
    Map<String, Instant> oldestQueued();

    /**
     * The bytes of the store's own files (the journal's segments); empty for a table, which the database's size
     * already counts.
     */
    default OptionalLong diskBytes() {
        return OptionalLong.empty();
    }

    /** Releases what the store holds of its own (the journal's files); a table has nothing to release. */
    @Override
    default void close() {}
}
