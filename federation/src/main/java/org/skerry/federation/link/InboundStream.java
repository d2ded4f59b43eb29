package org.skerry.federation.link;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.skerry.federation.link.LinkStatus.Direction;
import org.skerry.federation.link.LinkStatus.State;
import org.skerry.server.stream.InboundBacklog;
import org.skerry.server.stream.RateLimiter;
import org.skerry.server.xml.Element;
import org.skerry.server.xml.StreamClose;
import org.skerry.server.xml.StreamOpen;
import org.skerry.server.xml.XmlStreamDecoder;
import org.skerry.server.xmpp.Jid;
import org.skerry.server.xmpp.Namespaces;
import org.skerry.server.xmpp.Stanzas;
import org.skerry.server.xmpp.StreamError;
import org.skerry.server.xmpp.StreamError.Condition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream a peer opened to us: STARTTLS (required), then SASL EXTERNAL for a peer whose certificate proves its
 * domain, and/or dialback for any number of domain pairs (piggybacking); this node also answers other servers'
 * {@code <db:verify/>} questions here. Stanzas are routed only when their 'from' domain authenticated on this
 * stream for their 'to' domain (RFC 6120 §8.1.1.2, §13.7): anything else ends the stream with an error and is
 * not routed. All state is touched on the channel's event loop.
 */
final class InboundStream extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(InboundStream.class);

    /** A domain that proved itself on this stream (originating) for one of ours (receiving). */
    private record DomainPair(String originating, String receiving) {}

    private final FederationLinks links;
    private Channel channel;
    private XmlStreamDecoder decoder;
    private String remoteIp = "unknown";
    private boolean admitted;
    private boolean headerSent;
    private boolean secure;
    private String streamId;
    private String localDomain;
    private String peerDomain;
    private List<X509Certificate> peerCertificates = List.of();
    private final Set<DomainPair> authenticated = new LinkedHashSet<>();
    private final ReceivedStanzas received;
    private InboundBidi bidi;
    private boolean saslDone;
    private ScheduledFuture<?> authDeadline;
    private ScheduledFuture<?> idleCheck;
    private long lastStanzaNanos = System.nanoTime();
    private volatile State state = State.NEGOTIATING;
    private volatile Instant since;
    private volatile String authMethod;
    private volatile String tlsVersion;
    private volatile String lastError;
    private volatile String statusPeer;
    private final AtomicLong stanzasIn = new AtomicLong();
    /** Paces the peer like a client: past its rate the socket is not read for a moment, nothing is dropped. */
    private InboundBacklog backlog;
    private InboundAcks acks;

    InboundStream(FederationLinks links) {
        this.links = links;
        this.since = links.server().clock().instant();
        this.received = new ReceivedStanzas(links,
                (peer, local) -> authenticated.contains(new DomainPair(peer, local)));
    }

    private void enter(State next) {
        if (state != next) {
            state = next;
            since = links.server().clock().instant();
        }
    }

    // ---------------------------------------------------------------- Netty lifecycle

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        decoder = channel.pipeline().get(XmlStreamDecoder.class);
        // What we send over the stream (XEP-0288) keeps it from going idle just as what we receive does.
        bidi = new InboundBidi(links, channel, () -> lastStanzaNanos = System.nanoTime(),
                () -> acks != null && acks.isEnabled());
        if (channel.remoteAddress() instanceof java.net.InetSocketAddress address) {
            remoteIp = address.getAddress().getHostAddress();
        }
        admitted = links.admitInbound(this, remoteIp);
        if (!admitted) {
            log.warn("Refusing a server connection from {}: max_inbound_links ({}) or max_inbound_links_per_ip ({})"
                    + " reached", remoteIp, links.settings().maxInboundLinks(), links.settings().maxInboundLinksPerIp());
            channel.close();
            return;
        }
        backlog = new InboundBacklog(channel,
                new RateLimiter(links.settings().peerStanzaRate(), links.settings().peerStanzaBurst()),
                links.server().storage().executor()::isCongested, this::elementInOrder, this::close, () -> close(null),
                false);
        acks = new InboundAcks(channel);
        long timeout = links.settings().connectTimeout().toMillis();
        authDeadline = channel.eventLoop().schedule(() -> {
            if (authenticated.isEmpty()) {
                close(new StreamError(Condition.CONNECTION_TIMEOUT, "Authenticate within " + timeout / 1000 + " s"));
            }
        }, timeout, TimeUnit.MILLISECONDS);
        long period = links.settings().idleTimeout().toMillis() / 4 + 1;
        idleCheck = channel.eventLoop().scheduleAtFixedRate(this::closeIfIdle, period, period, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (authDeadline != null) {
            authDeadline.cancel(false);
            idleCheck.cancel(false);
        }
        if (state != State.FAILED) {
            enter(State.CLOSED);
        }
        bidi.ended();
        if (admitted) {
            links.releaseInbound(this, remoteIp);
            backlog.flushNow(); // what the peer sent before it hung up was received: it is still routed
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!admitted || state == State.CLOSED || state == State.FAILED) {
            return; // a refused connection is closing: it has no backlog and nothing it sends counts
        }
        try {
            if (msg instanceof StreamOpen open) {
                streamOpened(open);
            } else if (msg instanceof StreamClose) {
                backlog.closeWhenDrained();
            } else if (msg instanceof Element element) {
                backlog.add(element);
            }
        } catch (StreamError e) {
            close(e);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof StreamError error) {
            close(error);
        } else if (cause.getCause() instanceof StreamError error) {
            close(error);
        } else {
            lastError = cause.toString();
            log.debug("Server connection from {} failed: {}", remoteIp, cause.toString());
            channel.close();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent handshake) {
            if (handshake.isSuccess()) {
                secure = true;
                var session = channel.pipeline().get(SslHandler.class).engine().getSession();
                tlsVersion = session.getProtocol();
                peerCertificates = PeerCertificates.chainOf(session);
            } else {
                lastError = "TLS failed: " + handshake.cause().getMessage();
                log.debug("TLS with server {} failed: {}", remoteIp, handshake.cause().toString());
                channel.close();
            }
        } else if (event instanceof IdleStateEvent idle && idle.state() == IdleState.WRITER_IDLE && headerSent) {
            channel.writeAndFlush(" "); // RFC 6120 §4.6.1 whitespace keepalive
        }
        ctx.fireUserEventTriggered(event);
    }

    // ---------------------------------------------------------------- negotiation

    private void streamOpened(StreamOpen open) {
        Element header = open.header();
        String to = lower(header.attr("to"));
        String from = lower(header.attr("from"));
        streamId = UUID.randomUUID().toString();
        String answeredAs = to != null && links.server().isLocalDomain(to) ? to : links.server().domains().get(0);
        channel.write(S2sXml.header(answeredAs, from, streamId));
        headerSent = true;
        if (!Namespaces.SERVER.equals(open.defaultNamespace())) {
            throw new StreamError(Condition.INVALID_NAMESPACE, "The default namespace must be jabber:server");
        }
        if (to == null || !links.server().isLocalDomain(to)) {
            throw new StreamError(Condition.HOST_UNKNOWN, to == null ? "No 'to' domain" : "This server does not serve " + to);
        }
        if (localDomain != null && !localDomain.equals(to)) {
            throw new StreamError(Condition.HOST_UNKNOWN, "The domain changed on stream restart");
        }
        localDomain = to;
        if (from != null) {
            peerDomain = from;
            statusPeer = from;
        }
        channel.writeAndFlush(org.skerry.server.stream.StreamWriter.features(features()));
        if (saslDone) {
            bidi.proven(peerDomain, localDomain); // XEP-0288 §2.2: the restarted stream may now carry ours too
        }
    }

    private Element features() {
        Element features = org.skerry.server.stream.StreamWriter.features();
        if (!secure) {
            features.addChild("starttls", Namespaces.TLS).addChild("required");
            return features;
        }
        if (!saslDone && peerDomain != null && links.certificates().isValidFor(peerCertificates, peerDomain)) {
            features.addChild("mechanisms", Namespaces.SASL).addChild("mechanism").addText("EXTERNAL");
        }
        if (links.settings().dialback()) {
            features.addChild("dialback", S2sXml.DIALBACK_FEATURE).addChild("errors");
        }
        if (saslDone || links.settings().dialback()) {
            // These are the last features before stanzas may flow: after SASL, or the ones dialback happens after.
            features.add(SmElements.feature());
        }
        bidi.offer(features, !authenticated.isEmpty());
        return features;
    }

    /** Called by the backlog, in the order the peer sent, at the pace its rate allows. */
    private void elementInOrder(Element element) {
        if (!headerSent) {
            throw new StreamError(Condition.NOT_AUTHORIZED, "Expected a stream header");
        }
        element(element);
    }

    private void element(Element element) {
        if (element.is("error", Namespaces.STREAM)) {
            streamErrorReceived(element);
        } else if (element.is("starttls", Namespaces.TLS)) {
            if (secure) {
                throw new StreamError(Condition.POLICY_VIOLATION, "TLS is already on");
            }
            // Netty's startTls flag leaves <proceed/> in the clear and encrypts everything after it.
            channel.pipeline().addFirst("tls", new SslHandler(
                    links.tls().serverContextRequestingClientCert().newEngine(channel.alloc()), true));
            channel.writeAndFlush(new Element("proceed", Namespaces.TLS));
            restart();
        } else if (!secure && S2sXml.isDialback(element, "verify") && element.attr("type") == null
                && authenticated.isEmpty()) {
            // A verification-only stream (XEP-0220 §2.4): the asking server learns whether a key we issued is ours,
            // and nothing else is ever accepted on this stream until TLS (no stanzas, no db:result, no SASL). The
            // key only proves a stream that already exists under TLS, so hearing it in the clear gains an attacker
            // nothing. Some servers (Vysper) verify before offering TLS; refusing them would make us unreachable.
            verifyRequest(element);
        } else if (!secure) {
            throw new StreamError(Condition.NOT_AUTHORIZED, "Start TLS first");
        } else if (bidi.isRequest(element)) {
            bidi.request();
        } else if (element.is("auth", Namespaces.SASL)) {
            saslExternal(element);
        } else if (S2sXml.isDialback(element, "result") && element.attr("type") == null) {
            dialbackRequest(element);
        } else if (S2sXml.isDialback(element, "verify") && element.attr("type") == null) {
            verifyRequest(element);
        } else if (Stanzas.isStanza(element) && element.namespace().equals(Namespaces.SERVER)) {
            stanza(element);
        } else if (SmElements.isStreamManagement(element)) {
            if (!bidi.acknowledged(element)) {
                acks.element(element, !authenticated.isEmpty());
            }
        } else {
            throw new StreamError(authenticated.isEmpty() ? Condition.NOT_AUTHORIZED : Condition.UNSUPPORTED_STANZA_TYPE,
                    "Unexpected element " + element.name());
        }
    }

    /** Stream restart (RFC 6120 §4.3.3): after STARTTLS and SASL the peer opens a fresh stream. */
    private void restart() {
        headerSent = false;
        decoder.reset();
    }

    private void saslExternal(Element auth) {
        String claimed = authorizationIdentity(auth.text().trim());
        boolean valid = "EXTERNAL".equals(auth.attr("mechanism")) && !saslDone && peerDomain != null
                && peerDomain.equals(claimed) && links.certificates().isValidFor(peerCertificates, peerDomain);
        if (!valid) {
            Element failure = new Element("failure", Namespaces.SASL);
            failure.addChild("not-authorized");
            channel.writeAndFlush(failure);
            return;
        }
        refuseIfBlocked(peerDomain);
        saslDone = true;
        authenticatedPair(new DomainPair(peerDomain, localDomain), "SASL EXTERNAL");
        channel.writeAndFlush(new Element("success", Namespaces.SASL));
        restart();
    }

    /**
     * Ends the stream when the admin blocked {@code domain}. A stream error rather than a SASL failure or a dialback
     * error: those say "try another way", while RFC 6120 §4.9.3.14 policy-violation says that local policy refuses
     * this peer whatever it proves, and ends the stream so it does not keep trying on it.
     */
    private void refuseIfBlocked(String domain) {
        if (links.isBlocked(domain)) {
            lastError = domain + " is blocked";
            throw new StreamError(Condition.POLICY_VIOLATION, "This server does not federate with " + domain);
        }
    }

    /** RFC 6120 §6.4.6: an empty or "=" authzid means "the identity in my certificate", i.e. the stream's 'from'. */
    private String authorizationIdentity(String base64) {
        if (base64.isEmpty() || base64.equals("=")) {
            return peerDomain;
        }
        try {
            return lower(new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }

    /** The originating server's key (XEP-0220 §2.1): check it with its authoritative server, then answer. */
    private void dialbackRequest(Element result) {
        String originating = lower(result.attr("from"));
        String receiving = lower(result.attr("to"));
        if (receiving == null || !links.server().isLocalDomain(receiving)) {
            channel.writeAndFlush(S2sXml.dialbackError("result", receiving, originating, null, "item-not-found"));
            return;
        }
        if (originating == null || Jid.parseOrNull(originating) == null || links.server().isLocalDomain(originating)) {
            throw new StreamError(Condition.INVALID_FROM, "Not a peer domain: " + originating);
        }
        refuseIfBlocked(originating);
        if (!links.settings().dialback()) {
            channel.writeAndFlush(S2sXml.dialbackError("result", receiving, originating, null, "policy-violation"));
            return;
        }
        if (statusPeer == null) {
            statusPeer = originating;
        }
        String key = result.text().trim();
        links.verifyDialback(receiving, originating, streamId, key).whenComplete((valid, failure) ->
                channel.eventLoop().execute(() -> dialbackVerdict(originating, receiving, valid, failure)));
    }

    private void dialbackVerdict(String originating, String receiving, Boolean valid, Throwable failure) {
        if (!channel.isActive()) {
            return;
        }
        if (failure != null) {
            lastError = "dialback verification of " + originating + " failed: " + failure.getMessage();
            channel.writeAndFlush(S2sXml.dialbackError("result", receiving, originating, null, "remote-server-not-found"));
        } else if (valid) {
            authenticatedPair(new DomainPair(originating, receiving), "dialback");
            channel.writeAndFlush(S2sXml.dialback("result", receiving, originating, null, "valid", null));
            bidi.proven(originating, receiving);
        } else {
            lastError = "invalid dialback key from " + originating;
            channel.writeAndFlush(S2sXml.dialback("result", receiving, originating, null, "invalid", null));
        }
    }

    /** Another server asks whether a key is ours (we are the authoritative server, XEP-0220 §2.2). */
    private void verifyRequest(Element verify) {
        String receiving = lower(verify.attr("from"));
        String originating = lower(verify.attr("to"));
        String id = verify.attr("id");
        boolean valid = receiving != null && originating != null && links.server().isLocalDomain(originating)
                && links.dialbackKeys().matches(receiving, originating, id, verify.text());
        channel.writeAndFlush(S2sXml.dialback("verify", originating, receiving, id, valid ? "valid" : "invalid", null));
    }

    private void authenticatedPair(DomainPair pair, String method) {
        authenticated.add(pair);
        authMethod = method;
        enter(State.READY);
        log.info("Inbound link {} -> {} authenticated ({}, {})", pair.originating(), pair.receiving(), method, tlsVersion);
        if (!bidi.isRequested()) {
            links.peerIsBack(pair.originating()); // else when the stream may carry our stanzas too (InboundBidi)
        }
    }

    // ---------------------------------------------------------------- stanzas

    private void stanza(Element stanza) {
        if (authenticated.isEmpty()) {
            throw new StreamError(Condition.NOT_AUTHORIZED, "Authenticate first");
        }
        CompletableFuture<Void> routing = received.route(stanza);
        lastStanzaNanos = System.nanoTime();
        stanzasIn.incrementAndGet();
        acks.counting(routing);
    }

    // ---------------------------------------------------------------- liveness and end

    private void closeIfIdle() {
        if (!authenticated.isEmpty()
                && System.nanoTime() - lastStanzaNanos >= links.settings().idleTimeout().toNanos()) {
            log.debug("Closing the idle inbound link from {}", statusPeer);
            close(null);
        }
    }

    /**
     * The peer ended the stream with an error (RFC 6120 §4.9.1.1: stream errors are unrecoverable): it is recorded,
     * and answered with our closing tag only, never with an error about its error.
     */
    private void streamErrorReceived(Element error) {
        Element condition = error.firstElement();
        lastError = "the peer sent the stream error " + (condition == null ? "?" : condition.name());
        log.info("Server {} ({}) ended its stream to {} with the stream error {}", statusPeer, remoteIp, localDomain,
                condition == null ? "?" : condition.name());
        enter(State.FAILED);
        channel.writeAndFlush(org.skerry.server.stream.StreamWriter.CLOSE).addListener(ChannelFutureListener.CLOSE);
    }

    /** Ends the stream with {@code error} if {@code domain} opened it or authenticated on it. */
    void closeIfFrom(String domain, StreamError error) {
        channel.eventLoop().execute(() -> {
            boolean authenticatedIt = authenticated.stream().anyMatch(pair -> pair.originating().equals(domain));
            if (authenticatedIt || domain.equals(peerDomain) || domain.equals(statusPeer)) {
                close(error);
            }
        });
    }

    /** Ends the stream, with a stream error when {@code error} is not null. */
    void close(StreamError error) {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(() -> close(error));
            return;
        }
        if (!channel.isActive()) {
            return;
        }
        if (error != null) {
            if (!headerSent) {
                channel.write(S2sXml.header(links.server().domains().get(0), null, UUID.randomUUID().toString()));
            }
            lastError = error.getMessage();
            enter(State.FAILED);
            log.debug("Stream error to server {} ({}): {}", remoteIp, statusPeer, error.getMessage());
            channel.write(org.skerry.server.stream.StreamWriter.error(error));
        } else {
            enter(State.CLOSED);
        }
        channel.writeAndFlush(org.skerry.server.stream.StreamWriter.CLOSE).addListener(ChannelFutureListener.CLOSE);
    }

    LinkStatus status() {
        return new LinkStatus(localDomain, statusPeer, bidi.inUse() ? Direction.BIDIRECTIONAL : Direction.INBOUND,
                state, since, authMethod, tlsVersion, acks != null && acks.isEnabled(), stanzasIn.get(),
                bidi.stanzasOut(), lastError);
    }

    private static String lower(String domain) { return domain == null ? null : domain.toLowerCase(Locale.ROOT); }
}
