package org.skerry.server.session;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.HandledStanzaCounter;
import org.skerry.server.xmpp.SentStanzaCounter;

/**
 * XEP-0198 counters and the queue of stanzas sent but not yet acknowledged by the client. Guarded by the owning
 * session's lock.
 *
 * <p>Inbound: a stanza counts as handled only once it has been delivered or durably stored
 * ({@link HandledStanzaCounter}).
 */
final class StreamManagement {
    private final ArrayDeque<Element> unacked = new ArrayDeque<>();
    private final SentStanzaCounter outbound;
    private final HandledStanzaCounter inbound;

    StreamManagement() {
        this(0);
    }

    /**
     * A stream that has already exchanged {@code exchanged} stanzas each way, all acknowledged and handled, so that
     * the 32-bit wrap of h can be tested without sending 2^32 stanzas.
     */
    StreamManagement(long exchanged) {
        outbound = new SentStanzaCounter(exchanged);
        inbound = new HandledStanzaCounter(exchanged);
    }

    void sent(Element stanza) {
        unacked.addLast(stanza);
        outbound.sent();
    }

    int unackedCount() { return unacked.size(); }

    /** Applies the client's {@code <a h='...'/>}; returns false if h acknowledges more than was sent. */
    boolean acknowledge(long h) {
        long newly = outbound.acknowledge(h);
        for (long i = 0; i < newly; i++) {
            unacked.pollFirst();
        }
        return newly >= 0;
    }

    /** The unacknowledged stanzas, oldest first, and forgets them. */
    List<Element> drainUnacked() {
        List<Element> out = new ArrayList<>(unacked);
        unacked.clear();
        return out;
    }

    List<Element> unacked() { return new ArrayList<>(unacked); }

    /** Sequence number of a stanza just received from the client. */
    long received() { return inbound.received(); }

    void finished(long sequence) { inbound.finished(sequence); }

    long inboundH() { return inbound.h(); }

    long outboundCount() { return outbound.total(); }
}
