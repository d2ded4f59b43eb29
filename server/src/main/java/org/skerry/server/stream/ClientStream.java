package org.skerry.server.stream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.skerry.server.ServerContext;
import org.skerry.server.auth.ChannelBinding;
import org.skerry.server.metrics.StanzaCounters;
import org.skerry.server.module.Implements;
import org.skerry.server.routing.Events;
import org.skerry.server.session.ClientSession;
import org.skerry.server.session.Connection;
import org.skerry.server.xml.Element;
import org.skerry.server.xml.StreamClose;
import org.skerry.server.xml.StreamOpen;
import org.skerry.server.xml.XmlStreamDecoder;
import org.skerry.server.xmpp.Namespaces;
import org.skerry.server.xmpp.StanzaError;
import org.skerry.server.xmpp.Stanzas;
import org.skerry.server.xmpp.StreamError;
import org.skerry.server.xmpp.StreamError.Condition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client-to-server stream (RFC 6120): the negotiation state machine (STARTTLS, SASL, resource binding,
 * XEP-0198) and, once bound, the stanza pump into the router. All state is touched on the channel's event loop
 * only; storage work (SASL credential look-ups) runs on the ordered worker pool and comes back here.
 */
@Implements(spec = "RFC 6120", note = "c2s streams: STARTTLS, SASL, resource binding, stream errors, whitespace keepalive")
@Implements(spec = "RFC 7622", note = "JIDs, prepared with jxmpp-jid")
@Implements(spec = "RFC 5802", note = "SCRAM-SHA-1 and SCRAM-SHA-1-PLUS")
@Implements(spec = "RFC 7677", note = "SCRAM-SHA-256(-PLUS); SCRAM-SHA-512(-PLUS) likewise")
@Implements(spec = "RFC 5929", note = "tls-server-end-point channel binding")
@Implements(spec = "RFC 9266", note = "tls-exporter channel binding where the TLS provider exposes it")
@Implements(spec = "XEP-0198", version = "1.6.1", note = "acks and resumption; unacknowledged messages go offline")
@Implements(spec = "XEP-0199", version = "2.0.1", note = "pings to silent clients")
@Implements(spec = "XEP-0368", version = "1.1.0", note = "direct TLS listener")
@Implements(spec = "XEP-0440", version = "0.4.2", note = "channel-binding types advertised")
public final class ClientStream extends ChannelInboundHandlerAdapter implements Connection {
    private static final Logger log = LoggerFactory.getLogger(ClientStream.class);
    /** How long a closing stream's last words may take to be written before the socket is closed regardless. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    enum Stage { EXPECT_HEADER, NEGOTIATING, AUTHENTICATED, BOUND, CLOSED }

    private final ServerContext server;
    private final C2sSettings settings;
    private final StreamTls tls;
    private final ConnectionLimits limits;
    private final StanzaCounters stanzas;
    private Channel channel;
    private XmlStreamDecoder decoder;
    private Stage stage = Stage.EXPECT_HEADER;
    private boolean awaitingRestart;
    /** Whether the current stream (the first, or the one since the last restart) got our header already. */
    private boolean headerSent;
    private String domain;
    private String streamId;
    private String remoteIp = "unknown";
    private boolean secure;
    private List<ChannelBinding> channelBindings = List.of();
    /** Read by the admin console from other threads. */
    private volatile Tls tlsInUse;
    private final SaslNegotiation sasl;
    private String username;
    private ClientSession session;
    private boolean closedCleanly;
    /**
     * Set once the hard write limit was hit. Closing over TLS first tries to flush close_notify (for seconds, to a
     * client that does not read), and the channel stays active meanwhile: without this flag every stanza routed
     * to it in that time would log the disconnection again (hundreds of lines per slow client in a flood).
     * Written from whichever thread routes to this client, hence volatile.
     */
    private volatile boolean droppedAsSlowReader;
    private ScheduledFuture<?> handshakeTimer;
    private InboundBacklog backlog;
    private final AckRequests ackRequests = new AckRequests();
    private long idleSinceNanos;
    private final StreamManagementNegotiation streamManagement;

    public ClientStream(ServerContext server, C2sSettings settings, StreamTls tls, ConnectionLimits limits,
                        Authenticators authenticators, StanzaCounters stanzas, boolean directTls) {
        this.server = server;
        this.settings = settings;
        this.tls = tls;
        this.limits = limits;
        this.stanzas = stanzas;
        this.secure = directTls;
        this.sasl = new SaslNegotiation(server, settings, this, authenticators);
        this.streamManagement = new StreamManagementNegotiation(server, settings, this);
    }

    // ---------------------------------------------------------------- Netty lifecycle

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        decoder = channel.pipeline().get(XmlStreamDecoder.class);
        if (channel.remoteAddress() instanceof InetSocketAddress address) {
            remoteIp = address.getAddress().getHostAddress();
        }
        if (!limits.admit(remoteIp)) {
            log.warn("Refusing a connection from {}: connection limit reached", remoteIp);
            limits.release(remoteIp);
            remoteIp = null;
            channel.close();
            return;
        }
        handshakeTimer = channel.eventLoop().schedule(() -> {
            if (stage != Stage.BOUND && stage != Stage.CLOSED) {
                close(new StreamError(Condition.CONNECTION_TIMEOUT, "Authenticate within "
                        + settings.handshakeTimeout().toSeconds() + " seconds"));
            }
        }, settings.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (remoteIp != null) {
            limits.release(remoteIp);
        }
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        if (stage == Stage.BOUND) {
            backlog.flushNow();
        }
        Stage was = stage;
        stage = Stage.CLOSED;
        if (was == Stage.BOUND && session != null) {
            sessionLost();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (stage == Stage.CLOSED) {
            return;
        }
        try {
            if (msg instanceof StreamOpen open) {
                streamOpened(open.header());
            } else if (msg instanceof StreamClose) {
                closedCleanly = true;
                if (backlog != null) {
                    backlog.closeWhenDrained();
                } else {
                    close(null);
                }
            } else if (msg instanceof Element element) {
                if (awaitingRestart || stage == Stage.EXPECT_HEADER) {
                    throw new StreamError(Condition.NOT_AUTHORIZED, "Expected a stream header");
                }
                element(element);
            }
        } catch (StreamError e) {
            close(e);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof StreamError error) {
            close(error);
        } else if (cause instanceof io.netty.handler.codec.DecoderException && cause.getCause() instanceof StreamError error) {
            close(error);
        } else {
            log.debug("Connection from {} failed: {}", remoteIp, cause.toString());
            if (cause instanceof javax.net.ssl.SSLException || cause.getCause() instanceof javax.net.ssl.SSLException) {
                channel.close(); // nothing readable can be sent on a broken TLS layer
            } else {
                close(new StreamError(Condition.INTERNAL_SERVER_ERROR));
            }
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent handshake) {
            if (handshake.isSuccess()) {
                secure = true;
                javax.net.ssl.SSLEngine engine = channel.pipeline().get(SslHandler.class).engine();
                channelBindings = tls.bindings(engine);
                tlsInUse = new Tls(engine.getSession().getProtocol(), engine.getSession().getCipherSuite());
            } else {
                log.debug("TLS handshake with {} failed: {}", remoteIp, handshake.cause().toString());
                channel.close();
            }
        } else if (event instanceof IdleStateEvent idle) {
            idle(idle);
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // A client that does not read its stream must not make us buffer without bound: stop reading from it
        // (it can produce no more replies) until its socket drains.
        if (backlog == null || !backlog.isWaiting()) {
            channel.config().setAutoRead(channel.isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    // ---------------------------------------------------------------- stream negotiation

    private void streamOpened(Element header) {
        awaitingRestart = false;
        String to = header.attr("to");
        String ns = header.attr("xmlns");
        streamId = Ids.random();
        String fromDomain = to != null && server.isLocalDomain(to.toLowerCase(java.util.Locale.ROOT))
                ? to.toLowerCase(java.util.Locale.ROOT) : server.domains().get(0);
        channel.write(StreamWriter.header(Namespaces.CLIENT, fromDomain, null, streamId));
        headerSent = true;
        if (ns != null && !Namespaces.CLIENT.equals(ns)) {
            throw new StreamError(Condition.INVALID_NAMESPACE, "The default namespace must be jabber:client");
        }
        if (to == null || !server.isLocalDomain(to.toLowerCase(java.util.Locale.ROOT))) {
            throw new StreamError(Condition.HOST_UNKNOWN, to == null ? "No 'to' domain" : "This server does not serve " + to);
        }
        String version = header.attr("version");
        if (version == null || !version.startsWith("1.")) {
            throw new StreamError(Condition.UNSUPPORTED_VERSION, "XMPP 1.0 streams only");
        }
        if (domain != null && !domain.equals(fromDomain)) {
            throw new StreamError(Condition.HOST_UNKNOWN, "The domain changed on stream restart");
        }
        domain = fromDomain;
        if (stage == Stage.EXPECT_HEADER) {
            stage = Stage.NEGOTIATING;
        }
        channel.writeAndFlush(StreamWriter.features(features()));
    }

    private Element features() {
        Element features = StreamWriter.features();
        if (stage == Stage.NEGOTIATING) {
            if (!secure && tls.available()) {
                Element starttls = features.addChild("starttls", Namespaces.TLS);
                if (settings.requireTls()) {
                    starttls.addChild("required");
                }
            }
            if (secure || !settings.requireTls()) {
                sasl.advertise(features, secure, channelBindings);
            }
        } else {
            features.addChild("bind", Namespaces.BIND);
            features.addChild("session", Namespaces.SESSION).addChild("optional");
            if (settings.streamManagement()) {
                features.addChild("sm", Namespaces.SM);
            }
        }
        server.events().fire(Features.EVENT, new Features(secure, stage != Stage.NEGOTIATING, features));
        return features;
    }

    private void element(Element element) {
        switch (stage) {
            case NEGOTIATING -> negotiate(element);
            case AUTHENTICATED -> beforeBind(element);
            case BOUND -> backlog.add(element);
            default -> { }
        }
    }

    private void negotiate(Element element) {
        if (element.is("starttls", Namespaces.TLS)) {
            if (secure || !tls.available()) {
                throw new StreamError(Condition.POLICY_VIOLATION, "TLS is already on or not offered");
            }
            // Netty's startTls flag leaves <proceed/> in the clear and encrypts everything after it.
            channel.pipeline().addFirst("tls", tls.newStartTlsHandler(channel.alloc()));
            channel.writeAndFlush(new Element("proceed", Namespaces.TLS));
            restart();
            return;
        }
        if (element.namespace().equals(Namespaces.SASL)) {
            if (!secure && settings.requireTls()) {
                Element failure = new Element("failure", Namespaces.SASL);
                failure.addChild("encryption-required");
                channel.writeAndFlush(failure);
                return;
            }
            sasl.handle(element, secure, channelBindings, domain, remoteIp);
            return;
        }
        if (element.is("iq", Namespaces.CLIENT)) {
            UnauthenticatedIq iq = new UnauthenticatedIq(element, domain, secure, remoteIp, this::write);
            if (secure || !settings.requireTls()) {
                if (server.events().fire(UnauthenticatedIq.EVENT, iq)) {
                    return;
                }
            }
        }
        throw new StreamError(Condition.NOT_AUTHORIZED, "Authenticate first");
    }

    /** Called by {@link SaslNegotiation} on the event loop once SASL succeeded. */
    void authenticated(String user) {
        this.username = user;
        this.stage = Stage.AUTHENTICATED;
        restart();
    }

    /** Stream restart (RFC 6120 §4.3.3): after STARTTLS and after SASL the client opens a fresh stream. */
    private void restart() {
        awaitingRestart = true;
        headerSent = false;
        decoder.reset();
    }

    private void beforeBind(Element element) {
        if (element.is("iq", Namespaces.CLIENT) && element.child("bind", Namespaces.BIND) != null
                && "set".equals(element.attr("type"))) {
            bind(element);
        } else if (element.is("resume", Namespaces.SM)) {
            streamManagement.resume(element, username, domain);
        } else if (element.is("enable", Namespaces.SM)) {
            write(StreamManagementNegotiation.failed(StanzaError.UNEXPECTED_REQUEST, "Bind a resource first"));
        } else if (element.is("iq", Namespaces.CLIENT)) {
            write(Stanzas.error(element, StanzaError.NOT_AUTHORIZED, "Bind a resource first"));
        } else {
            throw new StreamError(Condition.NOT_AUTHORIZED, "Bind a resource first");
        }
    }

    private void bind(Element iq) {
        String requested = iq.child("bind", Namespaces.BIND).childText("resource");
        String resource;
        if (requested == null || requested.isBlank()) {
            resource = Ids.resource();
        } else {
            try {
                resource = org.skerry.server.xmpp.Jid.parse(username + "@" + domain + "/" + requested.trim()).resource();
            } catch (IllegalArgumentException e) {
                write(Stanzas.error(iq, StanzaError.BAD_REQUEST, "That resource is not allowed"));
                return;
            }
        }
        org.skerry.server.xmpp.Jid full = new org.skerry.server.xmpp.Jid(username, domain, resource);
        session = new ClientSession(full, streamId, this);
        ClientSession displaced = server.sessions().bind(session);
        if (displaced != null) {
            // RFC 6120 §7.7.2.2: the newest session wins; the old one is told why it ends.
            displaced.close(new StreamError(Condition.CONFLICT, "Replaced by a new connection"));
            SessionEnd.end(server, displaced);
        }
        enterBound();
        if (server.accounts().isLocked(full)) {
            // Locked between our SASL success and this bind: the lock's sweep of the registry may have missed
            // this session, so it is checked again now that the session is registered.
            close(new StreamError(Condition.POLICY_VIOLATION, "The account was locked by an administrator"));
            return;
        }
        Element result = Stanzas.iqResult(iq).attr("from", null);
        result.addChild("bind", Namespaces.BIND).addChild("jid").addText(full.toString());
        write(result);
        server.events().fire(Events.SESSION_BOUND, session);
    }

    /** Called when {@code <resume/>} succeeded: this stream takes over the old session. */
    void resumed(ClientSession resumedSession) {
        this.session = resumedSession;
        enterBound();
        if (resumedSession.unackedCount() > 0) {
            ackRequests.stanzaSent(channel); // the stanzas just resent went out before this stream had its session
        }
    }

    /** From here on stanzas flow, paced by the session's rate limit and the storage queue. */
    private void enterBound() {
        stage = Stage.BOUND;
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        backlog = new InboundBacklog(channel, new RateLimiter(settings.stanzaRate(), settings.stanzaBurst()),
                server.storage().executor()::isCongested, this::bound, this::close, () -> close(null));
    }

    private void bound(Element element) {
        if (!session.attachedTo(this)) {
            return; // a resumption moved the session to a newer stream, which the client resends on
        }
        if (element.namespace().equals(Namespaces.SM)) {
            streamManagement.handle(session, element);
            return;
        }
        if (!Stanzas.isStanza(element) || !element.namespace().equals(Namespaces.CLIENT)) {
            throw new StreamError(Condition.UNSUPPORTED_STANZA_TYPE, "Unknown element " + element.name());
        }
        stanzas.received(element);
        if (element.is("iq", Namespaces.CLIENT) && element.child("session", Namespaces.SESSION) != null) {
            write(Stanzas.iqResult(element).attr("from", null)); // RFC 3921 session: a no-op kept for old clients
            session.inboundFinished(session.inboundReceived());
            return;
        }
        element.attr("from", session.jid().toString());
        long sequence = session.inboundReceived();
        CompletableFuture<Void> routed;
        try {
            routed = server.router().routeFromClient(session, element);
        } catch (RuntimeException e) {
            log.error("Routing failed for a stanza from {}", session.jid(), e);
            server.router().bounce(element, StanzaError.INTERNAL_SERVER_ERROR, null);
            routed = CompletableFuture.completedFuture(null);
        }
        ClientSession owner = session;
        routed.whenComplete((ok, failure) -> owner.inboundFinished(sequence));
    }

    // ---------------------------------------------------------------- flow control and liveness

    private void idle(IdleStateEvent idle) {
        switch (idle.state()) {
            case WRITER_IDLE -> {
                if (stage != Stage.CLOSED && !awaitingRestart) {
                    channel.writeAndFlush(" "); // RFC 6120 §4.6.1 whitespace keepalive
                }
            }
            case READER_IDLE -> {
                // Netty counts raw bytes, so whitespace keepalives from the client count as liveness too.
                if (idle.isFirst()) {
                    idleSinceNanos = System.nanoTime() - readerIdlePeriod().toNanos();
                }
                long idleFor = System.nanoTime() - idleSinceNanos;
                if (idleFor >= settings.idleTimeout().toNanos()) {
                    close(new StreamError(Condition.CONNECTION_TIMEOUT, "Idle for too long"));
                } else if (stage == Stage.BOUND) {
                    Element ping = Stanzas.iq("get", null, domain, session.jid().toString());
                    ping.addChild("ping", "urn:xmpp:ping");
                    server.router().sendIq(ping, Duration.ofSeconds(60), reply -> { });
                }
            }
            default -> { }
        }
    }

    /** How long a silent client goes before the first check: the shorter of the ping interval and the idle timeout. */
    public static Duration readerIdlePeriod(C2sSettings settings) {
        return settings.pingInterval().compareTo(settings.idleTimeout()) < 0 ? settings.pingInterval() : settings.idleTimeout();
    }

    private Duration readerIdlePeriod() { return readerIdlePeriod(settings); }

    // ---------------------------------------------------------------- Connection

    @Override
    public CompletableFuture<Void> write(Element element) {
        Channel ch = channel;
        if (ch == null || !ch.isActive() || droppedAsSlowReader) {
            return CompletableFuture.failedFuture(new java.nio.channels.ClosedChannelException());
        }
        if (!ch.isWritable() && ch.unsafe().outboundBuffer() != null
                && ch.unsafe().outboundBuffer().totalPendingWriteBytes() > settings.writeBufferHardLimit()) {
            droppedAsSlowReader = true;
            log.info("Disconnecting {}: it stopped reading ({} bytes pending)", remoteIp,
                    ch.unsafe().outboundBuffer().totalPendingWriteBytes());
            ch.close();
            ClientSession dropped = session;
            if (dropped != null) {
                // End the session now, not when the close has flushed: later messages must go to another
                // resource or offline storage instead of into a socket nobody reads. On the event loop, because
                // this write may run under another session's lock.
                boolean tracked = dropped.streamManagementEnabled(); // then the element is among the unacked
                ch.eventLoop().execute(() -> {
                    SessionEnd.end(server, dropped);
                    if (!tracked) {
                        SessionEnd.reroute(server, dropped, element);
                    }
                });
            }
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> written = new CompletableFuture<>();
        stanzas.sent(element);
        ch.writeAndFlush(element).addListener(f -> {
            if (f.isSuccess()) {
                written.complete(null);
            } else {
                written.completeExceptionally(f.cause());
            }
        });
        if (session != null && Stanzas.isStanza(element) && session.streamManagementEnabled()) {
            ackRequests.stanzaSent(ch);
        }
        return written;
    }

    @Override
    public void close(StreamError error) {
        Channel ch = channel;
        if (ch == null) {
            return;
        }
        if (!ch.eventLoop().inEventLoop()) {
            ch.eventLoop().execute(() -> close(error));
            return;
        }
        if (!ch.isActive()) {
            return;
        }
        if (error != null) {
            if (!headerSent) {
                // RFC 6120 §4.9.1.1: the error is a child of our stream element, also when the client's new
                // stream after a restart failed before its header was answered (the client reset its parser).
                ch.write(StreamWriter.header(Namespaces.CLIENT, server.domains().get(0), null, Ids.random()));
            }
            log.debug("Stream error to {}: {}", remoteIp, error.getMessage());
            ch.write(StreamWriter.error(error));
            if (error.condition() != Condition.CONFLICT) {
                closedCleanly = true; // a stream error ends the session for good (XEP-0198 §5)
            }
        }
        boolean wasBound = stage == Stage.BOUND;
        if (wasBound && error != null && error.condition() == Condition.CONFLICT) {
            stage = Stage.CLOSED; // the replacing stream already took over the session
            session = null;
        }
        ch.writeAndFlush(StreamWriter.CLOSE).addListener(ChannelFutureListener.CLOSE);
        // The goodbye may never be written: a TLS handshake the client never starts holds every write back, and
        // so does a client that stopped reading. The socket closes after a grace period either way.
        ch.eventLoop().schedule(() -> ch.close(), CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public String remoteAddress() { return remoteIp; }

    @Override
    public Tls tls() { return tlsInUse; }

    // ---------------------------------------------------------------- session end

    private void sessionLost() {
        ClientSession lost = session;
        if (!lost.attachedTo(this)) {
            return; // a resumption moved the session to another stream
        }
        if (closedCleanly || !streamManagement.hibernate(lost)) {
            SessionEnd.end(server, lost);
        }
    }

    String streamId() { return streamId; }

    /** The client acknowledged stanzas ({@code <a/>}); asks again if some are still unacknowledged. */
    void acknowledgementReceived(boolean stillUnacknowledged) {
        Channel ch = channel;
        if (ch != null) {
            ackRequests.answered(ch, stillUnacknowledged);
        }
    }

    Channel channel() { return channel; }
}
