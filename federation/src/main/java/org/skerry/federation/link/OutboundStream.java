package org.skerry.federation.link;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.skerry.server.net.Transport;
import org.skerry.server.xml.Element;
import org.skerry.server.xml.StreamClose;
import org.skerry.server.xml.StreamOpen;
import org.skerry.server.xml.XmlStreamDecoder;
import org.skerry.server.xmpp.Namespaces;
import org.skerry.server.xmpp.StanzaError;

/**
 * The initiating side of an s2s stream, up to TLS: resolve, connect, open the stream, STARTTLS (required), and
 * restart. What happens on the secured stream is the subclass's: authenticate and carry stanzas
 * ({@link OutboundLink}) or ask one dialback question ({@link DialbackVerification}).
 *
 * <p>All state lives on one event loop, chosen when the stream is made; public entry points hop onto it, and so does
 * the answer of the (possibly slow, DNS) resolver.
 */
abstract class OutboundStream extends ChannelInboundHandlerAdapter {
    protected final FederationLinks links;
    protected final String localDomain;
    protected final String remoteDomain;
    protected final EventLoop loop;
    protected Channel channel;
    /** The id the peer gave our stream: dialback keys are bound to it. */
    protected String peerStreamId;
    protected boolean secure;
    protected String tlsVersion;
    protected List<X509Certificate> peerCertificates = List.of();
    private XmlStreamDecoder decoder;
    private ScheduledFuture<?> deadline;
    private boolean finished;

    OutboundStream(FederationLinks links, String localDomain, String remoteDomain) {
        this.links = links;
        this.localDomain = localDomain;
        this.remoteDomain = remoteDomain;
        this.loop = links.nextLoop();
    }

    /** Starts connecting; {@link #failed} reports any failure. */
    final void open() {
        loop.execute(() -> {
            deadline = loop.schedule(() -> fail(new LinkFailure(StanzaError.REMOTE_SERVER_TIMEOUT,
                    "no authenticated stream to " + remoteDomain + " within "
                            + links.settings().connectTimeout().toSeconds() + " s")),
                    links.settings().connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
            links.resolver().resolve(remoteDomain).whenCompleteAsync((targets, lookupError) -> {
                if (lookupError != null) {
                    Throwable cause = lookupError instanceof CompletionException ? lookupError.getCause() : lookupError;
                    String why = "cannot find the servers of " + remoteDomain + ": "
                            + (cause instanceof TimeoutException ? "the DNS look-up timed out" : cause.getMessage());
                    fail(cause instanceof NoSuchDomainException
                            ? LinkFailure.permanent(StanzaError.REMOTE_SERVER_NOT_FOUND, why)
                            : new LinkFailure(StanzaError.REMOTE_SERVER_NOT_FOUND, why));
                } else {
                    connect(targets, 0, null);
                }
            }, loop);
        });
    }

    /** Tries the targets in order; the first that accepts a TCP connection carries the stream. */
    private void connect(List<PeerAddress> targets, int index, Throwable lastCause) {
        if (finished) {
            return;
        }
        if (index >= targets.size()) {
            fail(new LinkFailure(StanzaError.REMOTE_SERVER_NOT_FOUND, targets.isEmpty()
                    ? "no server known for " + remoteDomain
                    : "cannot connect to " + remoteDomain + ": " + (lastCause == null ? "?" : Transport.describe(lastCause))));
            return;
        }
        PeerAddress target = targets.get(index);
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(target.host());
        if (address == null) {
            // Resolvers answer with IP literals: resolving a name here would block the event loop.
            connect(targets, index + 1, new IllegalArgumentException(target.host() + " is not an IP address"));
            return;
        }
        Bootstrap bootstrap = new Bootstrap().group(loop).channel(Transport.current().clientChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) links.settings().connectTimeout().toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (target.directTls()) {
                            ch.pipeline().addLast("tls", DirectTlsAlpn.on(newTlsHandler(ch)));
                        }
                        S2sPipeline.configure(ch.pipeline(), links.settings(), OutboundStream.this);
                    }
                });
        bootstrap.connect(new InetSocketAddress(address, target.port())).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                connect(targets, index + 1, f.cause());
            } else if (finished) {
                f.channel().close();
            }
        });
    }

    private SslHandler newTlsHandler(Channel ch) {
        try {
            // SNI carries the peer's domain (RFC 6120 §13.7.1.2.1); TLS accepts any certificate and the
            // subclass decides what the peer's certificate is good for.
            SSLEngine engine = links.tls().clientContext(null).newEngine(ch.alloc(), remoteDomain, 5269);
            return new SslHandler(engine, false);
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the s2s TLS client context: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- Netty

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        decoder = channel.pipeline().get(XmlStreamDecoder.class);
        if (channel.pipeline().get(SslHandler.class) == null) {
            sendHeader(); // with direct TLS the header waits for the handshake
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (finished) {
            return;
        }
        if (msg instanceof StreamOpen open) {
            if (!Namespaces.SERVER.equals(open.defaultNamespace())) {
                fail(new LinkFailure(StanzaError.REMOTE_SERVER_NOT_FOUND, remoteDomain + " answered with namespace "
                        + open.defaultNamespace()));
                return;
            }
            peerStreamId = open.header().attr("id");
        } else if (msg instanceof StreamClose) {
            fail(new LinkFailure(StanzaError.REMOTE_SERVER_NOT_FOUND, remoteDomain + " closed the stream"));
        } else if (msg instanceof Element element) {
            element(element);
        }
    }

    private void element(Element element) {
        if (element.is("error", Namespaces.STREAM)) {
            Element condition = element.firstElement();
            fail(new LinkFailure(StanzaError.REMOTE_SERVER_NOT_FOUND, remoteDomain + " sent the stream error "
                    + (condition == null ? "?" : condition.name()) + describe(element)));
        } else if (element.is("features", Namespaces.STREAM) && !secure) {
            if (element.child("starttls", Namespaces.TLS) == null) {
                fail(new LinkFailure(StanzaError.REMOTE_SERVER_NOT_FOUND, remoteDomain + " does not offer TLS"));
            } else {
                channel.writeAndFlush(new Element("starttls", Namespaces.TLS));
            }
        } else if (element.is("proceed", Namespaces.TLS)) {
            channel.pipeline().addFirst("tls", newTlsHandler(channel));
            decoder.reset(); // the peer's next bytes are a new document, after the handshake
        } else if (element.is("failure", Namespaces.TLS)) {
            fail(new LinkFailure(StanzaError.REMOTE_SERVER_NOT_FOUND, remoteDomain + " refused STARTTLS"));
        } else if (element.is("features", Namespaces.STREAM)) {
            securedFeatures(element);
        } else {
            securedElement(element);
        }
    }

    private static String describe(Element streamError) {
        Element text = streamError.child("text", Namespaces.STREAMS_ERROR);
        return text == null ? "" : " (" + text.text() + ")";
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent handshake) {
            if (handshake.isSuccess()) {
                secure = true;
                var session = channel.pipeline().get(SslHandler.class).engine().getSession();
                tlsVersion = session.getProtocol();
                peerCertificates = PeerCertificates.chainOf(session);
                sendHeader();
            } else {
                fail(new LinkFailure(StanzaError.REMOTE_SERVER_NOT_FOUND, "TLS with " + remoteDomain + " failed: "
                        + handshake.cause().getMessage()));
            }
        } else if (event instanceof io.netty.handler.timeout.IdleStateEvent idle
                && idle.state() == io.netty.handler.timeout.IdleState.WRITER_IDLE && !finished) {
            channel.writeAndFlush(" "); // RFC 6120 §4.6.1 whitespace keepalive
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(new LinkFailure(StanzaError.REMOTE_SERVER_NOT_FOUND, "link to " + remoteDomain + " failed: " + cause));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!finished) {
            finished = true;
            if (deadline != null) {
                deadline.cancel(false);
            }
            closed();
        }
        ctx.fireChannelInactive();
    }

    // ---------------------------------------------------------------- for subclasses

    /** Writes a fresh stream header: at the start, and after each restart (TLS, SASL). */
    protected final void sendHeader() {
        channel.writeAndFlush(S2sXml.header(localDomain, remoteDomain, null));
    }

    /** Starts a new document after SASL success; the next header comes from the peer after ours. */
    protected final void restart() {
        decoder.reset();
        sendHeader();
    }

    /** The stream is authenticated (or its job done): the connect deadline no longer applies. */
    protected final void established() {
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    /** Ends the stream because of {@code failure}; called once at most, on the loop. */
    protected final void fail(LinkFailure failure) {
        if (finished) {
            return;
        }
        finished = true;
        if (deadline != null) {
            deadline.cancel(false);
        }
        failed(failure);
        if (channel != null && channel.isActive()) {
            channel.writeAndFlush(org.skerry.server.stream.StreamWriter.CLOSE).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Closes the stream cleanly (idle, done, shutdown). */
    protected final void closeStream() {
        if (finished) {
            return;
        }
        finished = true;
        if (deadline != null) {
            deadline.cancel(false);
        }
        closed();
        if (channel != null && channel.isActive()) {
            channel.writeAndFlush(org.skerry.server.stream.StreamWriter.CLOSE).addListener(ChannelFutureListener.CLOSE);
        }
    }

    protected final boolean isFinished() { return finished; }

    /** Features of the secured stream (after TLS, and again after any SASL restart). */
    protected abstract void securedFeatures(Element features);

    /** Any other element on the secured stream. */
    protected abstract void securedElement(Element element);

    /** The stream failed; pending work must be failed with {@code failure}. */
    protected abstract void failed(LinkFailure failure);

    /** The stream ended without a failure (closed by either side, or idle). */
    protected abstract void closed();
}
