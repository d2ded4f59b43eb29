package org.skerry.server.stream;

import io.netty.channel.Channel;
import java.util.concurrent.atomic.AtomicBoolean;
import org.skerry.server.session.ClientSession;

/**
 * XEP-0198 §4 on a client stream: when the server asks the client to acknowledge what it was sent. One {@code <r/>}
 * follows every burst of stanzas, as soon as the burst is written, unless an earlier request is still unanswered
 * (the answer then shows whether to ask again).
 *
 * <p>Why promptly and not every few stanzas: what the client never acknowledged goes back through the router when
 * its session ends (another resource, or offline storage), even after a clean close. A client that got one message
 * and logged out before an ack was asked for would find the same message again, as "offline", at its next login.
 */
final class AckRequests {
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile boolean awaitingAnswer;

    /** A stanza was just handed to the channel (from any thread): ask once the event loop has written it. */
    void stanzaSent(Channel channel) {
        if (awaitingAnswer || !scheduled.compareAndSet(false, true)) {
            return;
        }
        // Queued behind the stanza's own write task (or, on the event loop, after the write already done).
        channel.eventLoop().execute(() -> {
            scheduled.set(false);
            if (!awaitingAnswer && channel.isActive()) {
                awaitingAnswer = true;
                channel.writeAndFlush(ClientSession.ackRequest(), channel.voidPromise());
            }
        });
    }

    /** The client sent {@code <a/>}; {@code stillUnacknowledged} when stanzas went out after what it counted. */
    void answered(Channel channel, boolean stillUnacknowledged) {
        awaitingAnswer = false;
        if (stillUnacknowledged) {
            stanzaSent(channel);
        }
    }
}
