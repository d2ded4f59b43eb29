package org.skerry.server.xml;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Test harness: an {@link XmlStreamParser} whose events are recorded in order as StreamOpen, Element, StreamClose. */
final class RecordingParser implements XmlStreamParser.Listener {
    static final String HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
        + " xmlns:stream='http://etherx.jabber.org/streams' to='example.org' version='1.0' xml:lang='en'>";

    final List<Object> events = new ArrayList<>();
    final XmlStreamParser parser;
    /** Called after recording each stanza, e.g. to reset the parser from within a callback. */
    Consumer<Element> onElement = element -> { };

    RecordingParser(XmlLimits limits) {
        parser = new XmlStreamParser(limits, this);
    }

    RecordingParser() {
        this(XmlLimits.defaults());
    }

    RecordingParser feed(String xml) {
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        parser.feed(bytes, 0, bytes.length);
        return this;
    }

    /** Feeds the bytes from the middle of a larger array, as a pooled buffer hands them over. */
    RecordingParser feedAtOffset(String xml, int offset) {
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        byte[] larger = new byte[offset + bytes.length + 7];
        java.util.Arrays.fill(larger, (byte) '#');
        System.arraycopy(bytes, 0, larger, offset, bytes.length);
        parser.feed(larger, offset, bytes.length);
        return this;
    }

    /** Feeds one byte per call, each from a fresh single-byte array at a non-zero offset. */
    RecordingParser feedBytewise(String xml) {
        for (byte b : xml.getBytes(StandardCharsets.UTF_8)) {
            byte[] one = {0, b, 0};
            parser.feed(one, 1, 1);
        }
        return this;
    }

    List<Element> stanzas() {
        List<Element> stanzas = new ArrayList<>();
        for (Object event : events) {
            if (event instanceof Element element) {
                stanzas.add(element);
            }
        }
        return stanzas;
    }

    /** The events as comparable text: "open ns=..", the stanza XML, "close". */
    List<String> describe() {
        List<String> out = new ArrayList<>();
        for (Object event : events) {
            if (event instanceof StreamOpen open) {
                out.add("open " + open.header().attributes());
            } else if (event instanceof Element element) {
                out.add(element.toXml());
            } else {
                out.add("close");
            }
        }
        return out;
    }

    @Override
    public void streamOpened(Element header) {
        events.add(new StreamOpen(header));
    }

    @Override
    public void element(Element stanza) {
        events.add(stanza);
        onElement.accept(stanza);
    }

    @Override
    public void streamClosed() {
        events.add(StreamClose.INSTANCE);
    }
}
