package org.skerry.server.xml;

import java.nio.charset.StandardCharsets;
import org.skerry.server.xmpp.StreamError;

/**
 * Parses one stored element (an offline message, a private-storage payload) back into an {@link Element}, as if
 * it were a stanza on a jabber:client stream. Uses the same restricted-XML rules as the network reader, so that
 * stored data can never smuggle in what the wire would refuse.
 */
public final class ElementParser {
    private static final String OPEN = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";
    private static final XmlLimits STORED = new XmlLimits(16 * 1024 * 1024, 64, 256);

    private ElementParser() {}

    /** The element, or null if the text is not one well-formed element. */
    public static Element parse(String xml) {
        Element[] result = new Element[1];
        int[] count = new int[1];
        XmlStreamParser parser = new XmlStreamParser(STORED, new XmlStreamParser.Listener() {
            @Override public void streamOpened(Element header) { }

            @Override public void element(Element stanza) {
                result[0] = stanza;
                count[0]++;
            }

            @Override public void streamClosed() { }
        });
        byte[] bytes = (OPEN + xml + "</stream:stream>").getBytes(StandardCharsets.UTF_8);
        try {
            parser.feed(bytes, 0, bytes.length);
        } catch (StreamError e) {
            return null;
        } finally {
            parser.endOfInput();
        }
        return count[0] == 1 ? result[0] : null;
    }
}
