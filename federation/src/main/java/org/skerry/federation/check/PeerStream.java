package org.skerry.federation.check;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import org.skerry.server.xml.Element;
import org.skerry.server.xml.XmlLimits;
import org.skerry.server.xml.XmlStreamParser;
import org.skerry.server.xml.XmlWriter;
import org.skerry.server.xmpp.Namespaces;
import org.skerry.server.xmpp.StreamError;

/**
 * The check's side of an s2s stream, blocking: writes raw XML and hands back the peer's elements one by one, parsed
 * as the node parses them. A stream error or the end of the stream becomes an {@link IOException} that says what the
 * peer sent. Reads block for at most the socket's timeout.
 *
 * <p>It reads only what the peer sent, and the peer sends nothing after {@code <proceed/>} until our TLS handshake,
 * so no TLS bytes are taken from the socket: after STARTTLS a new instance reads the secured socket.
 */
final class PeerStream {
    private final InputStream in;
    private final OutputStream out;
    private final XmlStreamParser parser;
    private final Deque<Element> elements = new ArrayDeque<>();
    private final byte[] buffer = new byte[8192];
    private String streamId;
    private boolean closedByPeer;

    PeerStream(Socket socket) throws IOException {
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.parser = new XmlStreamParser(XmlLimits.defaults(), new XmlStreamParser.Listener() {
            @Override public void streamOpened(Element header) { streamId = header.attr("id"); }
            @Override public void element(Element element) { elements.add(element); }
            @Override public void streamClosed() { closedByPeer = true; }
        });
    }

    void write(String xml) throws IOException {
        out.write(xml.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Opens (or reopens, after TLS or SASL) a stream from our domain to the peer's; its answer is a new document. */
    void openStream(String from, String to) throws IOException {
        parser.reset();
        streamId = null;
        write("<?xml version='1.0'?><stream:stream xmlns='" + Namespaces.SERVER + "' xmlns:stream='" + Namespaces.STREAM
                + "' xmlns:db='" + DIALBACK + "' from='" + XmlWriter.escape(from) + "' to='" + XmlWriter.escape(to)
                + "' version='1.0'>");
    }

    static final String DIALBACK = "jabber:server:dialback";

    /** The id the peer gave the current stream (dialback keys are bound to it), or null before its header. */
    String streamId() { return streamId; }

    /** The peer's stream features. */
    Element features() throws IOException {
        Element features = next();
        if (!features.is("features", Namespaces.STREAM)) {
            throw new IOException("expected the stream features, got <" + features.name() + "/>");
        }
        return features;
    }

    /** The peer's next element; its stream error, its close or a broken stream is reported as an IOException. */
    Element next() throws IOException {
        while (elements.isEmpty()) {
            if (closedByPeer) {
                throw new IOException("the peer closed the stream");
            }
            int count = in.read(buffer);
            if (count < 0) {
                throw new IOException("the peer closed the connection");
            }
            try {
                parser.feed(buffer, 0, count);
            } catch (StreamError e) {
                throw new IOException("the peer sent what is not an XMPP stream (" + e.condition().elementName()
                        + (e.text() == null ? "" : ": " + e.text()) + ")", e);
            }
        }
        Element element = elements.poll();
        if (element.is("error", Namespaces.STREAM)) {
            throw new IOException("the peer sent the stream error " + describe(element, Namespaces.STREAMS_ERROR));
        }
        return element;
    }

    /** "condition (text)" of an error element whose condition and text are in {@code conditionNamespace}. */
    static String describe(Element error, String conditionNamespace) {
        String condition = "?";
        String text = null;
        for (Element child : error.elements()) {
            if (!conditionNamespace.equals(child.namespace())) {
                continue;
            }
            if (child.name().equals("text")) {
                text = child.text();
            } else {
                condition = child.name();
            }
        }
        return condition + (text == null || text.isBlank() ? "" : " (" + text + ")");
    }
}
