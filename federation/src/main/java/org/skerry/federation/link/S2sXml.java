package org.skerry.federation.link;

import org.skerry.server.xml.Element;
import org.skerry.server.xml.XmlWriter;
import org.skerry.server.xmpp.Namespaces;

/**
 * The pieces of an s2s stream that the core's writers do not make: the header with the {@code db} prefix declared,
 * and the dialback elements, written with that prefix because older servers match {@code db:result} by name.
 */
final class S2sXml {
    private S2sXml() {}

    static final String DIALBACK = "jabber:server:dialback";
    static final String DIALBACK_FEATURE = "urn:xmpp:features:dialback";
    /** XEP-0288: the receiving server offers bidirectional use in its features... */
    static final String BIDI_FEATURE = "urn:xmpp:features:bidi";
    /** ...and the initiating server asks for it with a {@code <bidi/>} in this namespace. */
    static final String BIDI = "urn:xmpp:bidi";

    static String header(String from, String to, String id) {
        StringBuilder sb = new StringBuilder(300).append("<?xml version='1.0'?><stream:stream xmlns='")
                .append(Namespaces.SERVER).append("' xmlns:stream='").append(Namespaces.STREAM)
                .append("' xmlns:db='").append(DIALBACK).append('\'');
        attribute(sb, "id", id);
        attribute(sb, "from", from);
        attribute(sb, "to", to);
        return sb.append(" version='1.0' xml:lang='en'>").toString();
    }

    /** A {@code <db:result/>} or {@code <db:verify/>}: a key when {@code type} is null, else the verdict. */
    static String dialback(String name, String from, String to, String id, String type, String key) {
        StringBuilder sb = new StringBuilder(200).append("<db:").append(name);
        attribute(sb, "from", from);
        attribute(sb, "to", to);
        attribute(sb, "id", id);
        attribute(sb, "type", type);
        if (key == null) {
            return sb.append("/>").toString();
        }
        return sb.append('>').append(XmlWriter.escape(key)).append("</db:").append(name).append('>').toString();
    }

    /** A {@code type='error'} dialback answer (XEP-0220 §2.4) with a stanza error condition. */
    static String dialbackError(String name, String from, String to, String id, String condition) {
        return "<db:" + name + attributes(from, to, id) + " type='error'><error type='cancel'><" + condition
                + " xmlns='" + Namespaces.STANZAS_ERROR + "'/></error></db:" + name + ">";
    }

    static boolean isDialback(Element element, String name) { return element.is(name, DIALBACK); }

    private static String attributes(String from, String to, String id) {
        StringBuilder sb = new StringBuilder();
        attribute(sb, "from", from);
        attribute(sb, "to", to);
        attribute(sb, "id", id);
        return sb.toString();
    }

    private static void attribute(StringBuilder sb, String name, String value) {
        if (value != null) {
            sb.append(' ').append(name).append("='").append(XmlWriter.escape(value)).append('\'');
        }
    }
}
