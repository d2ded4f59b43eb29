package org.skerry.bench.xmpp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.skerry.bench.xml.StreamClose;
import org.skerry.bench.xml.StreamOpen;
import org.skerry.bench.xml.XmlElement;
import org.skerry.bench.xml.XmlEscape;
import org.skerry.bench.xml.XmlFrameDecoder;

/**
 * One client connection: TCP → stream → [STARTTLS → TLS → stream] → SASL (PLAIN or SCRAM-SHA-1) → stream → bind →
 * session (only when the server lists it without {@code <optional/>}) → roster get and initial presence, sent
 * together. The session counts as logged in when both the roster result and the echo of its own presence (RFC 6121
 * §4.2.2: the server sends initial presence to all of the user's resources, the sending one included) have
 * arrived; login latency runs from the start of the TCP connect to that moment. In {@link Mode#REGISTER} it creates
 * its account (XEP-0077) after the stream (and TLS) is up instead, and closes.
 *
 * <p>Online, it answers pings (and any other request with service-unavailable), hands chat message bodies to
 * {@link SessionEvents#chatReceived} and ignores everything else (others' presence, keepalives). Every step of
 * the attempt is under one timer; any failure ends the attempt with a short reason and closes the connection.
 * State is small and lives on the channel's event loop.
 */
public final class ClientSession extends ChannelInboundHandlerAdapter {
    public enum Mode { LOGIN, REGISTER }

    /** Where an attempt is; a failure reason names it ("timeout:tls-handshake", "closed:stream-after-tls"). */
    private enum State {
        CONNECTING, STREAM, STARTTLS, TLS_HANDSHAKE, STREAM_AFTER_TLS, AUTH, AUTH_FINAL, STREAM_AFTER_AUTH, REGISTER,
        BIND, SESSION, ROSTER, ONLINE, CLOSING;

        String reason() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }
    }

    private static final String SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
    private static final byte[] CHAT_SUFFIX = "</body></message>".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STREAM_END = "</stream:stream>".getBytes(StandardCharsets.US_ASCII);
    private static final long CLOSE_GRACE_MILLIS = 2000;

    private final Account account;
    private final SessionSettings settings;
    private final SessionEvents events;
    private final Mode mode;
    private final XmlFrameDecoder decoder;
    private Channel channel;
    private State state = State.CONNECTING;
    private long startNanos;
    private ScheduledFuture<?> attemptTimer;
    private boolean attemptOver;
    private boolean tls;
    /** The TLS handshake resumed an earlier session (known for the BoringSSL engine only). */
    private boolean tlsResumed;
    private boolean authenticated;
    private boolean sessionNeeded;
    private boolean rosterReceived;
    private boolean presenceEchoed;
    private ScramSha1 scram;
    private boolean serverVerified;
    private String fullJid;
    private byte[] chatPrefix;
    private long sequence;

    public ClientSession(Account account, SessionSettings settings, SessionEvents events, Mode mode,
            XmlFrameDecoder decoder) {
        this.account = account;
        this.settings = settings;
        this.events = events;
        this.mode = mode;
        this.decoder = decoder;
    }

    public Account account() { return account; }

    /** Whether this session's TLS handshake resumed an earlier session: an abbreviated handshake, cheaper for both. */
    public boolean tlsResumed() { return tlsResumed; }

    /** Marks the start of the attempt: call right before connecting. */
    public void starting() { startNanos = System.nanoTime(); }

    /** The connect itself failed (refused, unreachable, timed out). */
    public void connectFailed(Throwable cause) { endAttempt("connect:" + describe(cause)); }

    public Channel channel() { return channel; }

    /** The bare JID chat messages go to; builds the bytes every message starts with once. */
    public void chatPartner(String bareJid) {
        chatPrefix = ("<message type='chat' to='" + XmlEscape.attribute(bareJid) + "'><body>")
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Writes one chat message to the partner without flushing; on the event loop only. False (nothing written) when
     * the session is not online or the connection is not writable: the server is not reading fast enough.
     */
    public boolean writeChat(int step, boolean measured) {
        if (state != State.ONLINE || !channel.isWritable()) {
            return false;
        }
        String body = new ChatBody(step, measured, sequence++, System.nanoTime()).text();
        ByteBuf out = channel.alloc().directBuffer(chatPrefix.length + body.length() + CHAT_SUFFIX.length);
        out.writeBytes(chatPrefix);
        ByteBufUtil.writeAscii(out, body);
        out.writeBytes(CHAT_SUFFIX);
        channel.write(out, channel.voidPromise());
        return true;
    }

    public void flush() { channel.flush(); }

    /** Ends the stream politely and closes once the server closed its side (or after a short grace). */
    public ChannelFuture close() {
        channel.eventLoop().execute(() -> {
            if (!channel.isActive()) {
                return;
            }
            state = State.CLOSING;
            channel.writeAndFlush(channel.alloc().buffer(STREAM_END.length).writeBytes(STREAM_END));
            channel.eventLoop().schedule(() -> { channel.close(); }, CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        });
        return channel.closeFuture();
    }

    /** Cuts the connection as a crashing network would: RST (SO_LINGER 0), no stream end. */
    public ChannelFuture cut() {
        channel.eventLoop().execute(() -> {
            state = State.CLOSING;
            if (channel.isOpen()) {
                channel.config().setOption(ChannelOption.SO_LINGER, 0);
            }
            channel.close();
        });
        return channel.closeFuture();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        attemptTimer = ctx.executor().schedule(() -> endAttempt("timeout:" + state.reason()),
                settings.loginTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        state = State.STREAM;
        openStream();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object frame) {
        if (frame instanceof XmlElement element) {
            onElement(element);
        } else if (frame == StreamClose.INSTANCE) {
            onServerClosed();
        } else if (!(frame instanceof StreamOpen)) {
            ctx.fireChannelRead(frame);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!attemptOver) {
            endAttempt("closed:" + state.reason());
        } else if (state == State.ONLINE) {
            events.dropped(this, "connection-closed");
        }
        state = State.CLOSING;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        String reason = "io:" + describe(cause);
        if (!attemptOver) {
            endAttempt(reason);
        } else if (state == State.ONLINE) {
            state = State.CLOSING;
            events.dropped(this, reason);
        }
        ctx.close();
    }

    private void onElement(XmlElement element) {
        switch (element.localName()) {
            case "features" -> onFeatures(element);
            case "proceed" -> startTls();
            case "failure" -> endAttempt((state == State.STARTTLS ? "starttls:" : "sasl:") + condition(element));
            case "challenge" -> onChallenge(element);
            case "success" -> onSuccess(element);
            case "iq" -> onIq(element);
            case "message" -> onMessage(element);
            case "presence" -> onPresence(element);
            case "error" -> onStreamError(element);
            default -> { } // other top-level elements (e.g. stream management) are not used
        }
    }

    private void onFeatures(XmlElement features) {
        if (settings.startTls() && !tls) {
            if (features.child("starttls") == null) {
                endAttempt("starttls-not-offered");
                return;
            }
            state = State.STARTTLS;
            send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        } else if (mode == Mode.REGISTER) {
            state = State.REGISTER;
            send("<iq type='set' id='reg'><query xmlns='jabber:iq:register'><username>" + XmlEscape.text(account.user())
                    + "</username><password>" + XmlEscape.text(account.password()) + "</password></query></iq>");
        } else if (!authenticated) {
            authenticate(features.child("mechanisms"));
        } else if (features.child("bind") == null) {
            endAttempt("bind-not-offered");
        } else {
            XmlElement session = features.child("session");
            sessionNeeded = session != null && session.child("optional") == null;
            state = State.BIND;
            String resource = settings.resource() == null ? ""
                    : "<resource>" + XmlEscape.text(settings.resource()) + "</resource>";
            send("<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>" + resource + "</bind></iq>");
        }
    }

    private void startTls() {
        if (state != State.STARTTLS) {
            endAttempt("unexpected-proceed");
            return;
        }
        state = State.TLS_HANDSHAKE;
        decoder.reset();
        SslHandler ssl = settings.sslContext().newHandler(channel.alloc(), account.server().domain(), account.server().port());
        ssl.setHandshakeTimeoutMillis(0); // the attempt's own timer bounds the handshake, as every other step
        channel.pipeline().addFirst("tls", ssl);
        ssl.handshakeFuture().addListener(done -> {
            if (done.isSuccess()) {
                tls = true;
                tlsResumed = SessionReuse.of(ssl.engine());
                state = State.STREAM_AFTER_TLS;
                openStream();
            } else {
                endAttempt("tls:" + describe(done.cause()));
            }
        });
    }

    private void authenticate(XmlElement mechanisms) {
        String wanted = settings.mechanism().saslName();
        boolean offered = false;
        if (mechanisms != null) {
            for (XmlElement mechanism : mechanisms.children()) {
                offered |= mechanism.text().trim().equalsIgnoreCase(wanted);
            }
        }
        if (!offered) {
            endAttempt("sasl:" + wanted + "-not-offered");
            return;
        }
        String initial;
        if (settings.mechanism() == SessionSettings.Mechanism.PLAIN) {
            initial = "\u0000" + account.user() + "\u0000" + account.password();
        } else {
            byte[] nonce = new byte[18];
            ThreadLocalRandom.current().nextBytes(nonce);
            scram = new ScramSha1(account.user(), account.password(), Base64.getEncoder().encodeToString(nonce),
                    settings.saltedPasswords());
            initial = scram.clientFirst();
        }
        state = State.AUTH;
        send("<auth xmlns='" + SASL + "' mechanism='" + wanted + "'>" + base64(initial) + "</auth>");
    }

    private void onChallenge(XmlElement challenge) {
        if (scram == null) {
            endAttempt("sasl:unexpected-challenge");
            return;
        }
        String data = unbase64(challenge.text());
        if (state == State.AUTH) {
            try {
                String clientFinal = scram.clientFinal(data);
                state = State.AUTH_FINAL;
                send("<response xmlns='" + SASL + "'>" + base64(clientFinal) + "</response>");
            } catch (IllegalArgumentException e) {
                endAttempt("sasl:bad-server-first-message");
            }
        } else if (scram.serverFinalValid(data)) { // RFC 6120 §6.3.10: v= in a challenge, then an empty response
            serverVerified = true;
            send("<response xmlns='" + SASL + "'/>");
        } else {
            endAttempt("sasl:bad-server-signature");
        }
    }

    private void onSuccess(XmlElement success) {
        if (state != State.AUTH && state != State.AUTH_FINAL) {
            endAttempt("sasl:unexpected-success");
            return;
        }
        if (scram != null) {
            String additional = unbase64(success.text());
            if (!serverVerified && !scram.serverFinalValid(additional)) {
                endAttempt("sasl:bad-server-signature");
                return;
            }
            scram = null;
        }
        authenticated = true;
        state = State.STREAM_AFTER_AUTH;
        decoder.reset();
        openStream();
    }

    private void onIq(XmlElement iq) {
        String type = iq.attr("type");
        String id = iq.attr("id");
        if ("get".equals(type) || "set".equals(type)) {
            answer(iq);
        } else if ("error".equals(type)) {
            onIqError(id, condition(iq.child("error")));
        } else if ("result".equals(type) && id != null) {
            onIqResult(id, iq);
        }
    }

    private void onIqResult(String id, XmlElement iq) {
        switch (id) {
            case "reg" -> {
                if (state == State.REGISTER) {
                    registered(false);
                }
            }
            case "bind" -> {
                XmlElement bind = iq.child("bind");
                fullJid = bind == null ? null : bind.childText("jid");
                if (fullJid == null) {
                    endAttempt("bind:no-jid");
                } else if (sessionNeeded) {
                    state = State.SESSION;
                    send("<iq type='set' id='sess'><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>");
                } else {
                    requestRosterAndPresence();
                }
            }
            case "sess" -> requestRosterAndPresence();
            case "roster" -> {
                rosterReceived = true;
                loggedInWhenComplete();
            }
            default -> { }
        }
    }

    private void onIqError(String id, String condition) {
        if ("reg".equals(id) && state == State.REGISTER) {
            if ("conflict".equals(condition)) {
                registered(true);
            } else {
                endAttempt("register:" + condition);
            }
        } else if ("bind".equals(id) || "sess".equals(id) || "roster".equals(id)) {
            endAttempt(id + ":" + condition);
        }
    }

    private void requestRosterAndPresence() {
        state = State.ROSTER;
        send("<iq type='get' id='roster'><query xmlns='jabber:iq:roster'/></iq><presence/>");
    }

    private void onPresence(XmlElement presence) {
        if (state == State.ROSTER && presence.attr("type") == null && fullJid.equalsIgnoreCase(presence.attr("from"))) {
            presenceEchoed = true;
            loggedInWhenComplete();
        }
    }

    private void loggedInWhenComplete() {
        if (rosterReceived && presenceEchoed && !attemptOver) {
            state = State.ONLINE;
            attemptOver = true;
            attemptTimer.cancel(false);
            events.loggedIn(this, System.nanoTime() - startNanos);
        }
    }

    private void registered(boolean alreadyExisted) {
        attemptOver = true;
        attemptTimer.cancel(false);
        events.registered(this, alreadyExisted);
        close();
    }

    private void onMessage(XmlElement message) {
        long now = System.nanoTime();
        if ("error".equals(message.attr("type"))) {
            events.stanzaError("message-error:" + condition(message.child("error")));
            return;
        }
        String body = message.childText("body");
        if (body != null) {
            events.chatReceived(body, now);
        }
    }

    /** Answers a request from the server: pings with a result (XEP-0199), anything else service-unavailable. */
    private void answer(XmlElement iq) {
        String id = XmlEscape.attribute(iq.attr("id") == null ? "" : iq.attr("id"));
        String to = iq.attr("from") == null ? "" : " to='" + XmlEscape.attribute(iq.attr("from")) + "'";
        if (iq.child("ping") != null) {
            send("<iq type='result' id='" + id + "'" + to + "/>");
        } else {
            send("<iq type='error' id='" + id + "'" + to + "><error type='cancel'><service-unavailable"
                    + " xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>");
        }
    }

    private void onStreamError(XmlElement error) {
        String reason = "stream-error:" + condition(error);
        if (!attemptOver) {
            endAttempt(reason);
        } else if (state == State.ONLINE) {
            state = State.CLOSING;
            events.dropped(this, reason);
            channel.close();
        }
    }

    private void onServerClosed() {
        if (state == State.CLOSING) {
            channel.close();
            return;
        }
        if (!attemptOver) {
            endAttempt("stream-closed-by-server:" + state.reason());
            return;
        }
        if (state == State.ONLINE) {
            events.dropped(this, "stream-closed-by-server");
        }
        state = State.CLOSING;
        channel.writeAndFlush(channel.alloc().buffer(STREAM_END.length).writeBytes(STREAM_END));
        channel.close();
    }

    /** Ends the attempt as failed, once, and drops the connection. */
    private void endAttempt(String reason) {
        if (attemptOver) {
            return;
        }
        attemptOver = true;
        if (attemptTimer != null) {
            attemptTimer.cancel(false);
        }
        state = State.CLOSING;
        events.attemptFailed(this, reason);
        if (channel != null) {
            channel.close();
        }
    }

    private void openStream() {
        send("<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'"
                + " to='" + XmlEscape.attribute(account.server().domain()) + "' version='1.0'>");
    }

    private void send(String xml) {
        channel.writeAndFlush(ByteBufUtil.writeUtf8(channel.alloc(), xml), channel.voidPromise());
    }

    /** The defined condition of a stream, stanza or SASL error: its first child other than text. */
    private static String condition(XmlElement error) {
        if (error != null) {
            for (XmlElement child : error.children()) {
                if (!child.localName().equals("text")) {
                    return child.localName();
                }
            }
        }
        return "undefined-condition";
    }

    /** A short, low-cardinality reason: the root cause's type and message, without addresses. */
    public static String describe(Throwable cause) {
        Throwable root = cause;
        while ((root instanceof DecoderException || root.getClass().getName().endsWith("ExecutionException"))
                && root.getCause() != null) {
            root = root.getCause();
        }
        String message = root.getMessage();
        if (message == null) {
            return root.getClass().getSimpleName();
        }
        int address = message.indexOf(": /");
        if (address >= 0) {
            message = message.substring(0, address);
        }
        return message.length() > 80 ? message.substring(0, 80) : message;
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String unbase64(String text) {
        String trimmed = text.trim();
        if (trimmed.isEmpty() || trimmed.equals("=")) {
            return "";
        }
        return new String(Base64.getDecoder().decode(trimmed), StandardCharsets.UTF_8);
    }
}
