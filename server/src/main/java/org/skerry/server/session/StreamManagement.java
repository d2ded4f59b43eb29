package org.skerry.server.session;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.skerry.server.xml.Element;

/**
 * XEP-0198 counters and the queue of stanzas sent but not yet acknowledged by the client. Guarded by the owning
 * session's lock.
 *
 * <p>Inbound: a stanza counts as handled only once it has been delivered or durably stored, and handling may
 * finish out of order (an offline store completes later than a direct delivery), so {@code h} advances only over
 * the contiguous prefix of finished stanzas.
 */
final class StreamManagement {
    private final ArrayDeque<Element> unacked = new ArrayDeque<>();
    private long outboundCount;      // stanzas sent to the client (mod 2^32 on the wire)
    private long outboundAcked;      // last h the client acknowledged
    private long inboundReceived;    // stanzas received from the client
    private long inboundHandled;     // contiguous prefix of received stanzas that are delivered or stored
    private final TreeSet<Long> finishedOutOfOrder = new TreeSet<>();

    StreamManagement() {}

    /**
     * A stream that has already exchanged {@code exchanged} stanzas each way, all acknowledged and handled, so that
     * the 32-bit wrap of h can be tested without sending 2^32 stanzas.
     */
    StreamManagement(long exchanged) {
        outboundCount = exchanged;
        outboundAcked = exchanged;
        inboundReceived = exchanged;
        inboundHandled = exchanged;
    }

    void sent(Element stanza) {
        unacked.addLast(stanza);
        outboundCount++;
    }

    int unackedCount() { return unacked.size(); }

    /** Applies the client's {@code <a h='...'/>}; returns false if h acknowledges more than was sent. */
    boolean acknowledge(long h) {
        long acked = reconstruct(h, outboundAcked);
        if (acked > outboundCount || acked < outboundAcked) {
            return false;
        }
        for (long i = outboundAcked; i < acked; i++) {
            unacked.pollFirst();
        }
        outboundAcked = acked;
        return true;
    }

    /** The unacknowledged stanzas, oldest first, and forgets them. */
    List<Element> drainUnacked() {
        List<Element> out = new ArrayList<>(unacked);
        unacked.clear();
        return out;
    }

    List<Element> unacked() { return new ArrayList<>(unacked); }

    /** Sequence number of a stanza just received from the client. */
    long received() { return inboundReceived++; }

    void finished(long sequence) {
        if (sequence == inboundHandled) {
            inboundHandled++;
            while (!finishedOutOfOrder.isEmpty() && finishedOutOfOrder.first() == inboundHandled) {
                finishedOutOfOrder.pollFirst();
                inboundHandled++;
            }
        } else if (sequence > inboundHandled) {
            finishedOutOfOrder.add(sequence);
        }
    }

    long inboundH() { return inboundHandled & 0xFFFFFFFFL; }

    long outboundCount() { return outboundCount; }

    /** h is a 32-bit counter that wraps; map it back onto our 64-bit count near the last known value. */
    private static long reconstruct(long h, long reference) {
        long base = reference & ~0xFFFFFFFFL;
        long candidate = base | (h & 0xFFFFFFFFL);
        if (candidate < reference) {
            candidate += 1L << 32;
        }
        return candidate;
    }
}
