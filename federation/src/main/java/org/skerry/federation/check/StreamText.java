package org.skerry.federation.check;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;
import org.skerry.server.xml.Element;
import org.skerry.server.xml.ElementParser;

/**
 * The check's side of an s2s stream, blocking: writes raw XML and reads until an expected element has arrived.
 * It reads only what the peer sent, so that after {@code <proceed/>} no TLS bytes are taken from the socket.
 */
final class StreamText {
    private final InputStream in;
    private final OutputStream out;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    StreamText(Socket socket) throws IOException {
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    void write(String xml) throws IOException {
        out.write(xml.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Opens (or reopens, after TLS) a stream from our domain to the peer's. */
    void openStream(String from, String to) throws IOException {
        received.reset();
        write("<?xml version='1.0'?><stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams'"
                + " from='" + from + "' to='" + to + "' version='1.0'>");
    }

    /** The peer's stream features; a stream error or close is reported as an IOException with its text. */
    Element features() throws IOException {
        String text = readUntil(t -> t.contains("</stream:features>") || t.contains("<stream:features/>"));
        int start = text.indexOf("<stream:features");
        int end = text.indexOf("</stream:features>", start);
        String features = end < 0 ? text.substring(start, text.indexOf("/>", start) + 2)
                : text.substring(start, end + "</stream:features>".length());
        Element parsed = ElementParser.parse(features);
        if (parsed == null) {
            throw new IOException("the stream features are not well-formed XML: " + features);
        }
        return parsed;
    }

    /** Reads until one of the named top-level elements arrived and returns which one. */
    String awaitOneOf(String... elementNames) throws IOException {
        String text = readUntil(t -> firstOf(t, elementNames) != null);
        return firstOf(text, elementNames);
    }

    private static String firstOf(String text, String[] names) {
        for (String name : names) {
            if (text.contains("<" + name)) {
                return name;
            }
        }
        return null;
    }

    private String readUntil(Predicate<String> done) throws IOException {
        byte[] buffer = new byte[4096];
        while (true) {
            String text = received.toString(StandardCharsets.UTF_8);
            if (text.contains("<stream:error")) {
                throw new IOException("the peer sent a stream error: " + text.substring(text.indexOf("<stream:error")));
            }
            if (done.test(text)) {
                received.reset();
                return text;
            }
            int n = in.read(buffer);
            if (n < 0) {
                throw new IOException("the peer closed the connection" + (text.isEmpty() ? "" : " after: " + text));
            }
            received.write(buffer, 0, n);
        }
    }
}
