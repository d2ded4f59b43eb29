package org.skerry.federation.queue;

import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * The XEP-0359 stanza-ids this node's outbound queue stamps: {@code "{run}.{sequence}.{nonce}"}. {@code run} is
 * random per start of the node, {@code sequence} counts up through the run in the order stanzas enter the queue,
 * and {@code nonce} is random per stanza, so that an id cannot be guessed (XEP-0359 §5: ids SHOULD be
 * unpredictable) although its order can be read.
 *
 * <p>Why an order: a peer's queue delivers in order and, after a broken link, sends again from its oldest
 * unacknowledged stanza, so a receiver needs to keep only the highest sequence it routed per sending run
 * ({@link InboundDeduplicator}) instead of every id: a check in memory and one small write per batch, not a lookup
 * and an indexed insert per stanza.
 */
public final class SequencedIds {
    /** A parsed id: the sending run and the stanza's place in it. */
    public record Parsed(String run, long sequence) {}

    private static final int MAX_PART = 16;

    private final String run;
    private final RandomGenerator random;
    private final AtomicLong sequence = new AtomicLong();

    private SequencedIds(String run, RandomGenerator random) {
        this.run = run;
        this.random = random;
    }

    /** Ids for one run of this node. */
    public static SequencedIds newRun(RandomGenerator random) {
        return new SequencedIds(Long.toString(random.nextLong() & Long.MAX_VALUE, 36), random);
    }

    /** The next id; callers that need the ids of one peer in queue order take them under that peer's lock. */
    public String next() {
        return run + "." + sequence.incrementAndGet() + "." + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
    }

    /** The run and sequence of an id of this form, or null for any other id (another server's, or a forged one). */
    public static Parsed parse(String id) {
        if (id == null) {
            return null;
        }
        int first = id.indexOf('.');
        int second = first < 0 ? -1 : id.indexOf('.', first + 1);
        if (first < 1 || second < 0 || id.indexOf('.', second + 1) >= 0) {
            return null;
        }
        String run = id.substring(0, first);
        String number = id.substring(first + 1, second);
        String nonce = id.substring(second + 1);
        if (!isBase36(run) || !isBase36(nonce) || number.isEmpty() || number.length() > 18 || !isDigits(number)) {
            return null;
        }
        long sequence = Long.parseLong(number);
        return sequence < 1 ? null : new Parsed(run, sequence);
    }

    // Plain loops: every stanza of a federation link is checked, and a stream per check was most of this class's
    // garbage.
    private static boolean isBase36(String part) {
        if (part.isEmpty() || part.length() > MAX_PART) {
            return false;
        }
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'z')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigits(String part) {
        for (int i = 0; i < part.length(); i++) {
            if (part.charAt(i) < '0' || part.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
