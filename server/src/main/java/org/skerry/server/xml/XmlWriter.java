package org.skerry.server.xml;

import java.util.Map;

/** Serializes {@link Element} trees and escapes text and attribute values. */
public final class XmlWriter {
    private XmlWriter() {}

    public static void write(Element element, String parentNamespace, StringBuilder out) {
        out.append('<').append(element.name());
        if (!element.namespace().equals(parentNamespace)) {
            out.append(" xmlns='");
            escape(element.namespace(), out, true);
            out.append('\'');
        }
        for (Map.Entry<String, String> attribute : element.attributes().entrySet()) {
            if (attribute.getKey().equals("xmlns")) {
                continue; // the namespace is written from element.namespace(), never copied blindly
            }
            out.append(' ').append(attribute.getKey()).append("='");
            escape(attribute.getValue(), out, true);
            out.append('\'');
        }
        if (element.children().isEmpty()) {
            out.append("/>");
            return;
        }
        out.append('>');
        for (Object child : element.children()) {
            if (child instanceof Element) {
                write((Element) child, element.namespace(), out);
            } else {
                escape((String) child, out, false);
            }
        }
        out.append("</").append(element.name()).append('>');
    }

    public static String escape(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 8);
        escape(text, sb, true);
        return sb.toString();
    }

    static void escape(String text, StringBuilder out, boolean attribute) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<': out.append("&lt;"); break;
                case '>': out.append("&gt;"); break;
                case '&': out.append("&amp;"); break;
                case '\'': if (attribute) { out.append("&apos;"); } else { out.append(c); } break;
                case '"': if (attribute) { out.append("&quot;"); } else { out.append(c); } break;
                default: out.append(c);
            }
        }
    }
}
