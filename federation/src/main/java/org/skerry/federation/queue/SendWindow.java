package org.skerry.federation.queue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.skerry.server.xml.Element;

/**
 * What a peer's queue has handed to the link in its current session, and what the peer acknowledged that is not yet
 * removed from storage (waiting for a removal, or in one that has not finished). Stanzas of these kinds together
 * never number more than {@code capacity} (a batch): they are
 * what a peer that does not drop repeats by stanza-id gets twice when this node dies. A session ends with a failure;
 * the next one sends again from the oldest stanza still stored, and what belongs to an earlier one changes nothing.
 *
 * <p>Not thread-safe: used under the lock of its {@link PeerQueue}.
 */
final class SendWindow {
    /**
     * Stanzas handed to the link together; {@code ids} includes rows that did not parse, removed with the batch.
     * {@code madeNanos} is when it was made ({@link System#nanoTime}), for the acknowledgement timeout.
     */
    record Batch(int session, List<Long> ids, List<Element> stanzas, long madeNanos) {}

    private final int capacity;
    private int session;
    /** The highest queue id handed to the link in this session. */
    private long sentThrough;
    private final ArrayDeque<Batch> unacknowledged = new ArrayDeque<>();
    /** Acknowledged, not yet removed from storage. */
    private List<Long> acknowledged = new ArrayList<>();
    /** Acknowledged and taken by a removal that has not finished: still stored, still counted against the room. */
    private int removing;

    SendWindow(int capacity) {
        this.capacity = capacity;
    }

    int session() { return session; }

    long sentThrough() { return sentThrough; }

    boolean isCurrent(Batch batch) { return batch.session() == session; }

    /** The oldest batch of this session still waiting for its acknowledgement, or null. */
    Batch oldestUnacknowledged() { return unacknowledged.peekFirst(); }

    /** Stanzas handed to the link in this session and not acknowledged yet. */
    int unacknowledgedCount() {
        int count = 0;
        for (Batch batch : unacknowledged) {
            count += batch.ids().size();
        }
        return count;
    }

    boolean isFull() { return unacknowledgedCount() >= capacity; }

    /** How many more stanzas may be sent before some are removed. */
    int room() {
        return Math.max(0, capacity - unacknowledgedCount() - acknowledged.size() - removing);
    }

    /** Nothing is unacknowledged, waiting for removal or being removed. */
    boolean isEmpty() { return unacknowledged.isEmpty() && acknowledged.isEmpty() && removing == 0; }

    /** A removal has taken acknowledged ids and not finished. */
    boolean isRemoving() { return removing > 0; }

    boolean hasUnacknowledged() { return !unacknowledged.isEmpty(); }

    int acknowledgedCount() { return acknowledged.size(); }

    /**
     * Makes the next batch of this session from stanzas with these queue ids, in order ({@code null} for a row that
     * does not parse: it is left out of what is sent, and removed with the batch).
     */
    Batch send(List<Long> ids, List<Element> stanzas) {
        List<Element> parsed = new ArrayList<>(stanzas.size());
        for (Element stanza : stanzas) {
            if (stanza != null) {
                parsed.add(stanza);
            }
        }
        Batch batch = new Batch(session, List.copyOf(ids), parsed, System.nanoTime());
        unacknowledged.addLast(batch);
        sentThrough = ids.get(ids.size() - 1);
        return batch;
    }

    /**
     * The peer acknowledged the batch: it may be removed. Returns false, and changes nothing, for a batch of an
     * earlier session (it only came late): the current session sends it again or already did, and its own
     * acknowledgement counts, so that no stanza is counted, or removed, twice.
     */
    boolean acknowledged(Batch batch) {
        if (!isCurrent(batch) || !unacknowledged.remove(batch)) {
            return false;
        }
        acknowledged.addAll(batch.ids());
        return true;
    }

    /** The acknowledged ids, for a removal; they count against the room until {@link #removed}. */
    List<Long> takeAcknowledged() {
        List<Long> taken = acknowledged;
        acknowledged = new ArrayList<>();
        removing += taken.size();
        return taken;
    }

    /** The removal of ids from {@link #takeAcknowledged} finished. */
    void removed(List<Long> ids) {
        removing -= ids.size();
    }

    /** A removal failed: the ids wait for the next one. */
    void putBackAcknowledged(List<Long> ids) {
        removing -= ids.size();
        acknowledged.addAll(ids);
    }

    /** A new session: whatever was not acknowledged goes again, from the oldest. */
    void restart() {
        session++;
        unacknowledged.clear();
        sentThrough = 0;
    }
}
