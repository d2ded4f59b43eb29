package org.skerry.server.xmpp;

/**
 * XEP-0198 §4, the sending side of a managed stream: how many stanzas were sent since {@code <enable/>} or
 * {@code <enabled/>}, and how many of them the peer acknowledged. Not thread-safe: the owner guards it.
 *
 * <p>The peer's 'h' is a 32-bit counter that wraps to zero after 2^32 - 1; here the counts are 64-bit, and each
 * 'h' is mapped onto the count near the last acknowledged one.
 */
public final class SentStanzaCounter {
    private long sent;
    private long acknowledged;

    public SentStanzaCounter() {}

    /**
     * A stream that has already sent {@code exchanged} stanzas, all acknowledged, so that the 32-bit wrap of 'h' can
     * be tested without sending 2^32 stanzas.
     */
    public SentStanzaCounter(long exchanged) {
        sent = exchanged;
        acknowledged = exchanged;
    }

    /** Counts one more stanza sent; returns the count, which the 'h' that acknowledges this stanza maps to. */
    public long sent() { return ++sent; }

    /** Stanzas sent so far. */
    public long total() { return sent; }

    /** Stanzas the peer acknowledged so far. */
    public long acknowledged() { return acknowledged; }

    /**
     * Applies an {@code <a h='...'/>}: returns how many stanzas it newly acknowledges (0 for a repeat), or -1 when
     * 'h' counts more stanzas than were sent, and then nothing changes.
     */
    public long acknowledge(long h) {
        long covered = unwrap(h, acknowledged);
        if (covered > sent) {
            return -1;
        }
        long newly = covered - acknowledged;
        acknowledged = covered;
        return newly;
    }

    /** 'h' is a 32-bit counter that wraps; map it back onto a 64-bit count at or after {@code reference}. */
    private static long unwrap(long h, long reference) {
        long candidate = (reference & ~0xFFFFFFFFL) | (h & 0xFFFFFFFFL);
        if (candidate < reference) {
            candidate += 1L << 32;
        }
        return candidate;
    }
}
