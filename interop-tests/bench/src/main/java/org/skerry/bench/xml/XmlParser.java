package org.skerry.bench.xml;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds an {@link XmlElement} from the bytes of one complete element that {@link XmlFrameDecoder} cut out of the
 * stream. Works on bytes: the markup characters are ASCII, and no byte of a multi-byte UTF-8 sequence is ASCII, so
 * names, values and text can be cut out before they are decoded. Comments and processing instructions inside an
 * element are skipped; CDATA sections are not supported (servers re-serialise text without them).
 */
final class XmlParser {
    private final byte[] bytes;
    private final int end;
    private int pos;

    private XmlParser(byte[] bytes, int from, int to) {
        this.bytes = bytes;
        this.pos = from;
        this.end = to;
    }

    /** The element that starts at {@code from} and ends before {@code to}. */
    static XmlElement element(byte[] bytes, int from, int to) {
        return new XmlParser(bytes, from, to).parseElement();
    }

    /** Only the start tag at {@code from} (a stream header, whose element stays open): name and attributes. */
    static XmlElement startTag(byte[] bytes, int from, int to) {
        XmlParser parser = new XmlParser(bytes, from, to);
        parser.expect('<');
        return new XmlElement(parser.name(), parser.attributes());
    }

    private XmlElement parseElement() {
        expect('<');
        XmlElement element = new XmlElement(name(), attributes());
        if (bytes[pos] == '/') {
            pos++;
            expect('>');
            return element;
        }
        expect('>');
        while (pos < end) {
            if (bytes[pos] != '<') {
                int start = pos;
                while (pos < end && bytes[pos] != '<') {
                    pos++;
                }
                element.appendText(XmlEscape.decode(string(start, pos)));
            } else if (peek(1) == '/') {
                skipPast('>');
                return element;
            } else if (peek(1) == '!' && peek(2) == '-') {
                skipPast("-->");
            } else if (peek(1) == '?') {
                skipPast('>');
            } else {
                element.addChild(parseElement());
            }
        }
        throw new IllegalArgumentException("element <" + element.name() + "> is not closed");
    }

    private String name() {
        int start = pos;
        while (pos < end && !isSpace(bytes[pos]) && bytes[pos] != '/' && bytes[pos] != '>' && bytes[pos] != '=') {
            pos++;
        }
        if (start == pos) {
            throw new IllegalArgumentException("a name is missing at byte " + start);
        }
        return string(start, pos);
    }

    /** Reads attributes up to (not including) the '/' or '>' that ends the start tag. */
    private String[] attributes() {
        List<String> pairs = null;
        while (true) {
            skipSpace();
            if (pos >= end) {
                throw new IllegalArgumentException("start tag is not closed");
            }
            if (bytes[pos] == '/' || bytes[pos] == '>') {
                return pairs == null ? new String[0] : pairs.toArray(new String[0]);
            }
            String attribute = name();
            skipSpace();
            expect('=');
            skipSpace();
            byte quote = bytes[pos];
            if (quote != '\'' && quote != '"') {
                throw new IllegalArgumentException("attribute " + attribute + " has no quoted value");
            }
            int start = ++pos;
            while (pos < end && bytes[pos] != quote) {
                pos++;
            }
            String value = XmlEscape.decode(string(start, pos));
            expect(quote);
            if (pairs == null) {
                pairs = new ArrayList<>(8);
            }
            pairs.add(attribute);
            pairs.add(value);
        }
    }

    private int peek(int ahead) { return pos + ahead < end ? bytes[pos + ahead] : -1; }

    private void expect(int expected) {
        if (pos >= end || bytes[pos] != expected) {
            throw new IllegalArgumentException("expected '" + (char) expected + "' at byte " + pos);
        }
        pos++;
    }

    private void skipPast(int marker) {
        while (pos < end && bytes[pos] != marker) {
            pos++;
        }
        pos++;
    }

    private void skipPast(String marker) {
        byte[] m = marker.getBytes(StandardCharsets.US_ASCII);
        outer:
        while (pos + m.length <= end) {
            for (int i = 0; i < m.length; i++) {
                if (bytes[pos + i] != m[i]) {
                    pos++;
                    continue outer;
                }
            }
            pos += m.length;
            return;
        }
        pos = end;
    }

    private void skipSpace() {
        while (pos < end && isSpace(bytes[pos])) {
            pos++;
        }
    }

    static boolean isSpace(byte b) { return b == ' ' || b == '\n' || b == '\r' || b == '\t'; }

    private String string(int from, int to) { return new String(bytes, from, to - from, StandardCharsets.UTF_8); }
}
