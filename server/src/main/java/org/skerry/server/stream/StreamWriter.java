package org.skerry.server.stream;

import org.skerry.server.xml.Element;
import org.skerry.server.xml.XmlWriter;
import org.skerry.server.xmpp.Namespaces;
import org.skerry.server.xmpp.StreamError;

/** The raw pieces of an XMPP stream that are not stanzas: headers, errors and the closing tag. */
public final class StreamWriter {
    private StreamWriter() {}

    public static final String CLOSE = "</stream:stream>";

    /** RFC 6120 §4.7 response stream header, with the XML declaration. */
    public static String header(String defaultNamespace, String from, String to, String id) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("<?xml version='1.0'?><stream:stream xmlns='").append(defaultNamespace)
                .append("' xmlns:stream='").append(Namespaces.STREAM).append('\'');
        if (id != null) {
            sb.append(" id='").append(XmlWriter.escape(id)).append('\'');
        }
        if (from != null) {
            sb.append(" from='").append(XmlWriter.escape(from)).append('\'');
        }
        if (to != null) {
            sb.append(" to='").append(XmlWriter.escape(to)).append('\'');
        }
        sb.append(" version='1.0' xml:lang='en'>");
        return sb.toString();
    }

    /**
     * RFC 6120 §4.9 {@code <stream:error/>}, serialized with the stream prefix the header declared: the defined
     * condition, the text, then any application-specific condition (§4.9.2).
     */
    public static String error(StreamError error) {
        StringBuilder sb = new StringBuilder(160);
        sb.append("<stream:error><").append(error.condition().elementName()).append(" xmlns='")
                .append(Namespaces.STREAMS_ERROR).append("'/>");
        if (error.text() != null) {
            sb.append("<text xmlns='").append(Namespaces.STREAMS_ERROR).append("' xml:lang='en'>");
            sb.append(XmlWriter.escape(error.text())).append("</text>");
        }
        if (error.applicationCondition() != null) {
            XmlWriter.write(error.applicationCondition(), null, sb);
        }
        sb.append("</stream:error>");
        return sb.toString();
    }

    /** The {@code <stream:features/>} element, which lives in the stream namespace. */
    public static Element features() { return new Element("features", Namespaces.STREAM); }

    /** Serializes features with the stream prefix, since they are children of the stream element. */
    public static String features(Element features) {
        StringBuilder sb = new StringBuilder(256).append("<stream:features>");
        for (Element child : features.elements()) {
            XmlWriter.write(child, null, sb);
        }
        return sb.append("</stream:features>").toString();
    }
}
