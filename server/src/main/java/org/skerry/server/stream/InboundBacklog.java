package org.skerry.server.stream;

import io.netty.channel.Channel;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Namespaces;
import org.skerry.server.xmpp.StreamError;

/**
 * The stanzas a bound client has sent and the node has not processed yet, released in order as fast as the
 * session's rate limit and the storage queue allow. While it waits, the socket is not read, so TCP pushes back on
 * the client and nothing is dropped; the backlog is bounded by what one read brought in, since nothing more is
 * read until it drains. Used on the channel's event loop only. Public because server-to-server links pace their
 * peers the same way.
 */
public final class InboundBacklog {
    private static final long STORAGE_BACKOFF_MILLIS = 20;

    private final Channel channel;
    private final RateLimiter rate;
    private final BooleanSupplier storageCongested;
    private final Consumer<Element> process;
    private final Consumer<StreamError> fail;
    private final Runnable closeCleanly;
    private final boolean readOnlyWhileWritable;
    private final ArrayDeque<Element> pending = new ArrayDeque<>();
    private boolean waiting;
    private boolean closeWhenDrained;
    private boolean stopped;

    public InboundBacklog(Channel channel, RateLimiter rate, BooleanSupplier storageCongested, Consumer<Element> process,
                   Consumer<StreamError> fail, Runnable closeCleanly) {
        this(channel, rate, storageCongested, process, fail, closeCleanly, true);
    }

    /**
     * @param readOnlyWhileWritable whether reading also waits while the channel cannot take more of our writes: right
     *                              for a client, whose stanzas make replies on its own channel; wrong for a server
     *                              link that carries stanzas both ways (XEP-0288), where two servers that each waited
     *                              for the other to read first would wait forever
     */
    public InboundBacklog(Channel channel, RateLimiter rate, BooleanSupplier storageCongested, Consumer<Element> process,
                   Consumer<StreamError> fail, Runnable closeCleanly, boolean readOnlyWhileWritable) {
        this.channel = channel;
        this.rate = rate;
        this.storageCongested = storageCongested;
        this.process = process;
        this.fail = fail;
        this.closeCleanly = closeCleanly;
        this.readOnlyWhileWritable = readOnlyWhileWritable;
    }

    public void add(Element element) {
        pending.addLast(element);
        drain();
    }

    /** The peer closed its stream: stanzas sent before {@code </stream:stream>} still count. */
    public void closeWhenDrained() {
        if (pending.isEmpty()) {
            closeCleanly.run();
        } else {
            closeWhenDrained = true;
        }
    }

    /** Whether reading is held back by this backlog (then writability must not turn reading back on). */
    public boolean isWaiting() { return waiting; }

    /** The socket is gone: stanzas already received are still processed, whatever the rate limit says. */
    public void flushNow() {
        while (!pending.isEmpty()) {
            try {
                process.accept(pending.pollFirst());
            } catch (StreamError e) {
                pending.clear();
            }
        }
        stopped = true;
    }

    private void drain() {
        waiting = false;
        while (!pending.isEmpty() && !stopped) {
            Element next = pending.peekFirst();
            boolean isStanza = !next.namespace().equals(Namespaces.SM);
            long waitMillis = 0;
            if (isStanza && storageCongested.getAsBoolean()) {
                waitMillis = STORAGE_BACKOFF_MILLIS; // the disk is behind: wait rather than have work refused
            } else if (isStanza && !rate.tryAcquire()) {
                waitMillis = rate.millisUntilToken();
            }
            if (waitMillis > 0) {
                channel.config().setAutoRead(false);
                waiting = true;
                channel.eventLoop().schedule(this::drain, waitMillis, TimeUnit.MILLISECONDS);
                return;
            }
            pending.pollFirst();
            try {
                process.accept(next);
            } catch (StreamError e) {
                pending.clear();
                stopped = true;
                fail.accept(e);
                return;
            }
        }
        if (stopped) {
            return;
        }
        if (closeWhenDrained) {
            closeCleanly.run();
        } else {
            channel.config().setAutoRead(!readOnlyWhileWritable || channel.isWritable());
        }
    }
}
