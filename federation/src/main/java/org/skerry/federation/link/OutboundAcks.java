package org.skerry.federation.link;

import io.netty.channel.Channel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.SentStanzaCounter;

/**
 * XEP-0198 on a link we opened, once the peer answered our {@code <enable/>} with {@code <enabled/>}: each batch of
 * stanzas is followed by one {@code <r/>}, and the batch's future completes only when an {@code <a/>} covers its
 * last stanza; that is when the durable queue may forget it. A peer that acknowledges more than it was sent gets
 * the stream error of XEP-0198 §6. When the link ends, batches still waiting fail, and the queue sends them again
 * on a new link (the receiver drops repeats by their XEP-0359 id): there is no resumption on s2s.
 *
 * <p>Used on the link's event loop.
 */
final class OutboundAcks {
    private record Batch(long lastStanza, CompletableFuture<Void> acknowledged) {}

    private final SentStanzaCounter counter = new SentStanzaCounter();
    private final ArrayDeque<Batch> waiting = new ArrayDeque<>();

    /** A batch of {@code stanzas} was just written; {@code acknowledged} completes when the peer handled them all. */
    void sent(int stanzas, CompletableFuture<Void> acknowledged) {
        long last = counter.total();
        for (int i = 0; i < stanzas; i++) {
            last = counter.sent();
        }
        waiting.addLast(new Batch(last, acknowledged));
    }

    /** An element in the XEP-0198 namespace from the peer; throws the stream error to end the link with. */
    void element(Element element, Channel channel) {
        if (element.name().equals("a")) {
            acknowledged(SmElements.h(element));
        } else if (element.name().equals("r")) {
            channel.writeAndFlush(SmElements.answer(0)); // stanzas the peer sends on our link are not ours to handle
        }
    }

    private void acknowledged(long h) {
        if (counter.acknowledge(h) < 0) {
            throw SmElements.handledCountTooHigh(h, counter.total());
        }
        while (!waiting.isEmpty() && waiting.peekFirst().lastStanza() <= counter.acknowledged()) {
            waiting.pollFirst().acknowledged().complete(null);
        }
    }

    /** The link ended: what the peer did not acknowledge fails with {@code cause}, and the queue keeps it. */
    void failAll(LinkFailure cause) {
        List<Batch> failed = new ArrayList<>(waiting);
        waiting.clear();
        for (Batch batch : failed) {
            batch.acknowledged().completeExceptionally(cause);
        }
    }
}
