package org.skerry.federation.link;

import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.skerry.federation.queue.PeerLink;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Jid;
import org.skerry.server.xmpp.StanzaError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving side of XEP-0288 on a stream a peer opened to us: offered once TLS is up (the XEP wants TLS before
 * bidi, and we want TLS before anything), requested by the peer with {@code <bidi xmlns='urn:xmpp:bidi'/>}. Once it
 * is requested, every domain pair the peer proves on the stream may carry our stanzas the other way, from our domain
 * to the peer's: with SASL EXTERNAL the stream's 'to' (ours) to its 'from' (XEP-0288 §2.2), with dialback the inverse
 * of each pair verified. Each such pair is registered with
 * {@link FederationLinks} as the link the outbound queue uses, so that no second connection is opened; it is
 * withdrawn when the stream ends, and the queue then opens an ordinary link on demand. Our other domains never ride
 * on it: we do not start dialback on this stream for them (XEP-0288 allows it, but a new link does the same).
 * Once the peer enabled stream management on the stream, it covers our stanzas too (XEP-0198 counts both ways): a
 * batch is followed by {@code <r/>} and counts as delivered when the peer's {@code <a/>} covers it
 * ({@link OutboundAcks}); before that, once written. Used on the stream's event loop, except {@link PeerLink#send}.
 */
final class InboundBidi {
    private static final Logger log = LoggerFactory.getLogger(InboundBidi.class);

    /** Our domain and the peer's, in the direction we send. */
    private record Pair(String local, String remote) {}

    private final FederationLinks links;
    private final Channel channel;
    private final Runnable onSend;
    private final BooleanSupplier streamManagement;
    /** Null until we send with stream management on. */
    private OutboundAcks acks;
    private final Set<Pair> proven = new LinkedHashSet<>();
    private final List<ReverseLink> registered = new ArrayList<>();
    private final AtomicLong stanzasOut = new AtomicLong();
    private boolean requested;
    private volatile boolean inUse;

    /**
     * @param onSend           told after each batch written, so that the stream counts our traffic as activity
     * @param streamManagement whether the peer enabled stream management on the stream
     */
    InboundBidi(FederationLinks links, Channel channel, Runnable onSend, BooleanSupplier streamManagement) {
        this.links = links;
        this.channel = channel;
        this.onSend = onSend;
        this.streamManagement = streamManagement;
    }

    /** Adds the offer to the features of a secured stream, while the peer may still ask (before it authenticated). */
    void offer(Element features, boolean peerAuthenticated) {
        if (links.settings().bidi() && !requested && !peerAuthenticated) {
            features.addChild("bidi", S2sXml.BIDI_FEATURE);
        }
    }

    /** Whether {@code element} is the peer's request, which only a secured stream accepts (XEP-0288 §2.1). */
    boolean isRequest(Element element) { return links.settings().bidi() && element.is("bidi", S2sXml.BIDI); }

    boolean isRequested() { return requested; }

    void request() {
        if (!requested) {
            requested = true;
            proven.forEach(this::register);
        }
    }

    /**
     * The peer proved {@code remote} on this stream for our {@code local}, and the stream is open for stanzas (after
     * the restart that follows SASL): stanzas from {@code local} to {@code remote} may go here once it is requested.
     */
    void proven(String remote, String local) {
        Pair pair = new Pair(local, remote);
        if (proven.add(pair) && requested) {
            register(pair);
        }
    }

    private void register(Pair pair) {
        ReverseLink link = new ReverseLink(pair);
        registered.add(link);
        inUse = true;
        links.carryOver(pair.local(), pair.remote(), link);
        log.info("Inbound link from {} carries {} -> {} too (XEP-0288)", pair.remote(), pair.local(), pair.remote());
        links.peerIsBack(pair.remote()); // stanzas queued for it go now, over this stream
    }

    /**
     * Takes the peer's {@code <a/>} for our stanzas when they go over this stream with stream management; false when
     * they do not. Throws the stream error of XEP-0198 §6 when it acknowledges more than we sent.
     */
    boolean acknowledged(Element answer) {
        if (!inUse || !answer.name().equals("a") || !streamManagement.getAsBoolean()) {
            return false;
        }
        acks().element(answer, channel);
        return true;
    }

    /** Counting starts with the first stanza we send after the peer enabled stream management. */
    private OutboundAcks acks() {
        if (acks == null) {
            acks = new OutboundAcks();
        }
        return acks;
    }

    /** The stream ended: its pairs go back to ordinary links, and what the peer did not acknowledge goes again. */
    void ended() {
        registered.forEach(link -> links.dropCarryOver(link.pair.local(), link.pair.remote(), link));
        if (acks != null) {
            acks.failAll(new LinkFailure(StanzaError.REMOTE_SERVER_TIMEOUT,
                    "the link closed before the peer acknowledged our stanzas"));
        }
    }

    /** Whether our stanzas go over this stream too. */
    boolean inUse() { return inUse; }

    long stanzasOut() { return stanzasOut.get(); }

    /** One pair's way out over the inbound stream, for the outbound queue. */
    private final class ReverseLink implements PeerLink {
        private final Pair pair;

        ReverseLink(Pair pair) { this.pair = pair; }

        @Override
        public boolean isReady() { return channel.isActive(); }

        @Override
        public CompletableFuture<Void> send(List<Element> stanzas) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            try {
                channel.eventLoop().execute(() -> write(List.copyOf(stanzas), done));
            } catch (RejectedExecutionException shuttingDown) {
                done.completeExceptionally(closed());
            }
            return done;
        }

        private void write(List<Element> stanzas, CompletableFuture<Void> done) {
            if (!channel.isActive()) {
                done.completeExceptionally(closed());
                return;
            }
            for (Element stanza : stanzas) {
                Jid from = Jid.parseOrNull(stanza.attr("from"));
                Jid to = Jid.parseOrNull(stanza.attr("to"));
                if (from == null || to == null || !from.domain().equals(pair.local())
                        || !to.domain().equals(pair.remote())) {
                    // Only the pair proven here may use it (XEP-0288 §2.2); the queue never hands us anything else.
                    done.completeExceptionally(new LinkFailure(StanzaError.INTERNAL_SERVER_ERROR, "a stanza from "
                            + stanza.attr("from") + " to " + stanza.attr("to") + " cannot go over the link "
                            + pair.local() + " -> " + pair.remote()));
                    return;
                }
            }
            onSend.run();
            boolean acknowledged = streamManagement.getAsBoolean();
            for (int i = 0; i < stanzas.size(); i++) {
                var written = channel.write(StanzaNamespaces.toServer(stanzas.get(i)));
                stanzasOut.incrementAndGet();
                links.stanzaCounters().sent(stanzas.get(i));
                if (i == stanzas.size() - 1 && !acknowledged) { // with stream management the peer's <a/> completes it
                    written.addListener(f -> {
                        if (f.isSuccess()) {
                            done.complete(null);
                        } else {
                            done.completeExceptionally(new LinkFailure(StanzaError.REMOTE_SERVER_TIMEOUT,
                                    "writing to " + pair.remote() + " failed: " + f.cause()));
                        }
                    });
                }
            }
            if (stanzas.isEmpty()) {
                done.complete(null);
            } else if (acknowledged) {
                acks().sent(stanzas.size(), done);
                channel.write(SmElements.request()); // one <r/> per batch
            }
            channel.flush();
        }

        private LinkFailure closed() {
            return new LinkFailure(StanzaError.REMOTE_SERVER_TIMEOUT, "the link from " + pair.remote() + " closed");
        }
    }
}
