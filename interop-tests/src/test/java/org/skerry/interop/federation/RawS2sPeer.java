package org.skerry.interop.federation;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.skerry.interop.TestNode;
import org.skerry.server.xml.Element;
import org.skerry.server.xml.XmlLimits;
import org.skerry.server.xml.XmlStreamParser;
import org.skerry.server.xmpp.Namespaces;

/**
 * A hand-driven server connection to a node's s2s port, playing a peer server byte by byte: for tests of what the
 * node does with peers that misbehave. TLS trusts exactly the node's certificate.
 */
final class RawS2sPeer implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final TestNode node;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final XmlStreamParser parser;
    private final Deque<Element> elements = new ArrayDeque<>();
    private final byte[] buffer = new byte[16384];
    private String streamId;
    private boolean ended;
    private boolean closeTagReceived;

    RawS2sPeer(TestNode node, int s2sPort) throws IOException {
        this.node = node;
        this.parser = new XmlStreamParser(XmlLimits.defaults(), new XmlStreamParser.Listener() {
            @Override public void streamOpened(Element header) { streamId = header.attr("id"); }
            @Override public void element(Element stanza) { elements.add(stanza); }
            @Override public void streamClosed() { closeTagReceived = true; }
        });
        use(new Socket(InetAddress.getLoopbackAddress(), s2sPort));
    }

    private void use(Socket s) throws IOException {
        socket = s;
        in = s.getInputStream();
        out = s.getOutputStream();
    }

    void send(String xml) throws IOException {
        out.write(xml.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Opens a stream as {@code from} to the node's domain; returns the features. */
    Element openStream(String from) throws IOException {
        streamId = null;
        send("<?xml version='1.0'?><stream:stream xmlns='jabber:server' xmlns:stream='" + Namespaces.STREAM
                + "' xmlns:db='jabber:server:dialback' from='" + from + "' to='" + node.domain() + "' version='1.0'>");
        Element features = next();
        if (!features.is("features", Namespaces.STREAM)) {
            throw new AssertionError("expected features, got " + features);
        }
        return features;
    }

    /** STARTTLS, then a new stream; returns the features of the secured stream. */
    Element startTls(String from) throws Exception {
        send("<starttls xmlns='" + Namespaces.TLS + "'/>");
        Element proceed = next();
        if (!proceed.is("proceed", Namespaces.TLS)) {
            throw new AssertionError("expected proceed, got " + proceed);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {node.trustManager()}, null);
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, node.domain(), socket.getPort(), true);
        tls.startHandshake();
        use(tls);
        parser.reset();
        return openStream(from);
    }

    /** The id the node gave the current stream (dialback keys are bound to it). */
    String streamId() { return streamId; }

    /** The next element, failing if the stream ends or nothing comes in time. */
    Element next() throws IOException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (elements.isEmpty()) {
            if (ended || closeTagReceived) {
                throw new AssertionError("the stream ended");
            }
            readSome(deadline);
        }
        return elements.poll();
    }

    /** Reads until the node closes the connection; returns the stream error's condition, or null if none came. */
    String awaitStreamErrorAndClose() throws IOException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!ended) {
            readSome(deadline);
        }
        for (Element element : elements) {
            if (element.is("error", Namespaces.STREAM)) {
                for (Element condition : element.elements()) {
                    if (Namespaces.STREAMS_ERROR.equals(condition.namespace()) && !condition.name().equals("text")) {
                        return condition.name();
                    }
                }
            }
        }
        return null;
    }

    private void readSome(long deadline) throws IOException {
        if (!RawReads.readSome(socket, in, buffer, parser, deadline)) {
            ended = true;
        }
    }

    @Override
    public void close() throws IOException { socket.close(); }
}
