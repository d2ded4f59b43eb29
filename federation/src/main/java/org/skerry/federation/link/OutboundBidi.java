package org.skerry.federation.link;

import io.netty.channel.Channel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.skerry.server.stream.InboundBacklog;
import org.skerry.server.stream.RateLimiter;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Namespaces;
import org.skerry.server.xmpp.Stanzas;
import org.skerry.server.xmpp.StreamError;
import org.skerry.server.xmpp.StreamError.Condition;

/**
 * The initiating side of XEP-0288 on a link we opened: when the peer offers it after TLS, we ask for it before we
 * authenticate, and once our authentication succeeded the peer may send stanzas back over the link. They pass the
 * checks of any stanza from a peer ({@link ReceivedStanzas}) for the one pair the link proves in reverse: from the
 * domain we connected to, to the domain we authenticated as (XEP-0288 §2.2: the stream's 'to' under SASL, the
 * inverse of the dialback pair). We trust the peer as far as we did when we chose it: a certificate valid for its
 * domain under federation.auth = "strict", else the DNS that led us to it, as dialback does. They are paced like an inbound
 * stream's. With stream management on the link, they count as the inbound half of it: the peer's {@code <r/>} is
 * answered with how many of them we handled ({@link InboundAcks}); so that the count matches the peer's, stream
 * management elements pass the pacing backlog in order with the stanzas. Used on the link's event loop.
 */
final class OutboundBidi {
    private final FederationLinks links;
    private final Consumer<StreamError> refuse;
    private final Consumer<Element> streamManagement;
    private final Runnable onStanza;
    private final ReceivedStanzas received;
    private final AtomicLong stanzasIn = new AtomicLong();
    private Channel channel;
    private InboundBacklog backlog;
    /** Read for the link's status from other threads. */
    private volatile boolean requested;
    private boolean authenticated;
    /** Null until stream management is on: the peer's stanzas before that are not counted. */
    private InboundAcks handled;
    private boolean ended;

    /**
     * @param refuse           ends the link with a stream error when the peer breaks the rules
     * @param streamManagement the link's handler of XEP-0198 elements, which reach it through the backlog
     * @param onStanza         told after each stanza received, so that the link counts it as activity
     */
    OutboundBidi(FederationLinks links, String localDomain, String remoteDomain, Consumer<StreamError> refuse,
                 Consumer<Element> streamManagement, Runnable onStanza) {
        this.links = links;
        this.refuse = refuse;
        this.streamManagement = streamManagement;
        this.onStanza = onStanza;
        this.received = new ReceivedStanzas(links,
                (peer, local) -> peer.equals(remoteDomain) && local.equals(localDomain));
    }

    /** On the features of the secured stream, before we authenticate: asks for bidi when the peer offers it. */
    void requestIfOffered(Channel channel, Element features) {
        if (requested || !links.settings().bidi() || features.child("bidi", S2sXml.BIDI_FEATURE) == null) {
            return;
        }
        this.channel = channel;
        // The backlog is never asked to close the stream: the link notices the peer's close itself.
        backlog = new InboundBacklog(channel,
                new RateLimiter(links.settings().peerStanzaRate(), links.settings().peerStanzaBurst()),
                links.server().storage().executor()::isCongested, this::inOrder, refuse, () -> {}, false);
        requested = true;
        channel.writeAndFlush(new Element("bidi", S2sXml.BIDI));
    }

    /** Whether we asked for bidi on this link. */
    boolean isRequested() { return requested; }

    /** Our authentication succeeded: from now on the peer may send. */
    void authenticated() { authenticated = true; }

    /** Takes what only a bidirectional link receives; false for anything else. */
    boolean handles(Element element) {
        if (!requested) {
            return false;
        }
        if (Stanzas.isStanza(element) && Namespaces.SERVER.equals(element.namespace())
                || SmElements.isStreamManagement(element)) {
            backlog.add(element);
            return true;
        }
        if (S2sXml.isDialback(element, "result") && element.attr("type") == null) {
            // XEP-0288 §2.2 lets the peer start dialback here for its other domains. We do not verify keys on our own
            // link (the peer can open one to us for that), and say so with a dialback error (XEP-0220 §2.4), which
            // the XEP requires us to understand, rather than leave it waiting.
            channel.writeAndFlush(S2sXml.dialbackError("result", element.attr("to"), element.attr("from"), null,
                    "policy-violation"));
            return true;
        }
        return false;
    }

    private void inOrder(Element element) {
        if (!SmElements.isStreamManagement(element)) {
            accept(element);
        } else if (!ended) { // the link is gone: nothing to enable or acknowledge on it
            streamManagement.accept(element);
        }
    }

    private void accept(Element stanza) {
        if (!authenticated) {
            throw new StreamError(Condition.NOT_AUTHORIZED, "No stanzas before this server has authenticated");
        }
        CompletableFuture<Void> routing = received.route(stanza);
        if (handled != null) {
            handled.counting(routing);
        }
        stanzasIn.incrementAndGet();
        onStanza.run();
    }

    /** The peer answered our {@code <enable/>} with {@code <enabled/>}: its stanzas from here on count. */
    void streamManagementEnabled() {
        if (requested) {
            handled = new InboundAcks(channel);
            handled.enabledByUs();
        }
    }

    /** Answers the peer's {@code <r/>} when its stanzas on this link are counted; false when they are not. */
    boolean answers(Element request) {
        if (handled == null || !request.name().equals("r")) {
            return false;
        }
        handled.element(request, true);
        return true;
    }

    /** The link ended: stanzas received before are still routed. */
    void ended() {
        if (requested) {
            ended = true;
            backlog.flushNow();
        }
    }

    long stanzasIn() { return stanzasIn.get(); }
}
