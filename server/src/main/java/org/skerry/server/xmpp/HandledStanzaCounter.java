package org.skerry.server.xmpp;

import java.util.TreeSet;

/**
 * XEP-0198 §4, the receiving side of a managed stream: the stanzas received since {@code <enable/>} or
 * {@code <enabled/>}, and 'h', how many of them are handled. Not thread-safe: the owner guards it.
 *
 * <p>A stanza counts as handled only once it has been delivered, durably stored or routed on, and handling may
 * finish out of order (an offline store completes later than a direct delivery), so 'h' advances only over the
 * contiguous prefix of finished stanzas.
 */
public final class HandledStanzaCounter {
    private long received;
    private long handled;
    private final TreeSet<Long> finishedOutOfOrder = new TreeSet<>();

    public HandledStanzaCounter() {}

    /** A stream that has already received and handled {@code exchanged} stanzas, to test the wrap of 'h'. */
    public HandledStanzaCounter(long exchanged) {
        received = exchanged;
        handled = exchanged;
    }

    /** Counts a stanza just received; returns its sequence number, to pass to {@link #finished} once handled. */
    public long received() { return received++; }

    /** Stanzas received so far. */
    public long receivedCount() { return received; }

    /** Stanzas handled so far, without the 32-bit wrap. */
    public long handled() { return handled; }

    /** The stanza {@code sequence} is handled; finishing one twice counts it once. */
    public void finished(long sequence) {
        if (sequence == handled) {
            handled++;
            while (!finishedOutOfOrder.isEmpty() && finishedOutOfOrder.first() == handled) {
                finishedOutOfOrder.pollFirst();
                handled++;
            }
        } else if (sequence > handled) {
            finishedOutOfOrder.add(sequence);
        }
    }

    /** The 'h' to put on the wire: the handled count modulo 2^32. */
    public long h() { return handled & 0xFFFFFFFFL; }
}
