package org.skerry.federation.link;

import io.netty.channel.Channel;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.HandledStanzaCounter;
import org.skerry.server.xmpp.StanzaError;
import org.skerry.server.xmpp.StreamError;
import org.skerry.server.xmpp.StreamError.Condition;

/**
 * XEP-0198 on a stream a peer opened to us. The peer may {@code <enable/>} it once it authenticated a domain on the
 * stream; then it asks with {@code <r/>} how many of its stanzas we handled. As on client streams, a stanza is
 * handled once it is routed (delivered, stored, queued on, or bounced) or dropped as a repeat, so the peer's queue
 * keeps each stanza until we took responsibility for it. An {@code <r/>} is answered once every stanza received
 * before it is handled, so one {@code <r/>} after a batch is all a sender needs. Resumption is not offered on s2s:
 * a new link, the sender's queue and our XEP-0359 dedupe cover a broken one.
 *
 * <p>Used on the channel's event loop, except {@link #isEnabled()}.
 */
final class InboundAcks {
    /** Answers owed for {@code <r/>}s that arrived when {@code received} stanzas had been received. */
    private record Owed(long received, int requests) {}

    private final Channel channel;
    private HandledStanzaCounter counter;
    private volatile boolean enabled;
    private final ArrayDeque<Owed> owed = new ArrayDeque<>();

    InboundAcks(Channel channel) {
        this.channel = channel;
    }

    boolean isEnabled() { return enabled; }

    /** An element in the XEP-0198 namespace; {@code authenticated} when a domain pair authenticated on the stream. */
    void element(Element element, boolean authenticated) {
        if (element.name().equals("enable")) {
            enable(authenticated);
        } else if (counter == null) {
            throw new StreamError(Condition.UNSUPPORTED_STANZA_TYPE, "Stream management is not enabled");
        } else if (element.name().equals("r")) {
            requested();
        } else if (element.name().equals("a")) {
            long h = SmElements.h(element);
            if (h != 0) {
                // we send no stanzas on a stream the peer opened, unless it is bidirectional (InboundBidi takes those)
                throw SmElements.handledCountTooHigh(h, 0);
            }
        } else {
            channel.writeAndFlush(SmElements.failed(StanzaError.FEATURE_NOT_IMPLEMENTED)); // e.g. <resume/>
        }
    }

    /**
     * Counting starts without an {@code <enable/>} from the peer: on a link we opened and enabled, over which the
     * peer sends back to us (XEP-0288), and asks with {@code <r/>} what we handled of that.
     */
    void enabledByUs() {
        counter = new HandledStanzaCounter();
        enabled = true;
    }

    /** XEP-0198 §3: only after authentication (with dialback the features came before it), and only once. */
    private void enable(boolean authenticated) {
        if (counter != null || !authenticated) {
            channel.writeAndFlush(SmElements.failed(StanzaError.UNEXPECTED_REQUEST));
            return;
        }
        counter = new HandledStanzaCounter();
        enabled = true;
        channel.writeAndFlush(SmElements.enabled());
    }

    /** A stanza is being routed: it counts as handled when {@code routing} completes, however it ends. */
    void counting(CompletableFuture<?> routing) {
        if (counter == null) {
            return;
        }
        long sequence = counter.received();
        routing.whenComplete((done, failure) -> {
            if (channel.eventLoop().inEventLoop()) {
                finished(sequence);
            } else {
                channel.eventLoop().execute(() -> finished(sequence));
            }
        });
    }

    private void finished(long sequence) {
        counter.finished(sequence);
        boolean answered = false;
        while (!owed.isEmpty() && owed.peekFirst().received() <= counter.handled()) {
            for (int i = owed.pollFirst().requests(); i > 0; i--) {
                channel.write(SmElements.answer(counter.h()));
            }
            answered = true;
        }
        if (answered) {
            channel.flush();
        }
    }

    private void requested() {
        long received = counter.receivedCount();
        if (counter.handled() >= received) {
            channel.writeAndFlush(SmElements.answer(counter.h()));
            return;
        }
        // A peer repeating <r/> while nothing new arrived costs a count, not memory.
        Owed last = owed.peekLast();
        if (last != null && last.received() == received) {
            owed.pollLast();
            owed.addLast(new Owed(received, last.requests() + 1));
        } else {
            owed.addLast(new Owed(received, 1));
        }
    }
}
