package org.skerry.bench.xml;

import java.util.ArrayList;
import java.util.List;

/**
 * One element the server sent, with its attributes, child elements and text. Names are matched by local name
 * (without prefix): the few replies the load tool reads are unambiguous that way, whatever prefixes a server uses.
 */
public final class XmlElement {
    private final String name;
    private final String[] attributes;
    private List<XmlElement> children = List.of();
    private String text = "";

    XmlElement(String name, String[] attributes) {
        this.name = name;
        this.attributes = attributes;
    }

    /** The name as written, with its prefix if any ("stream:features"). */
    public String name() { return name; }

    public String localName() {
        int colon = name.indexOf(':');
        return colon < 0 ? name : name.substring(colon + 1);
    }

    /** The value of the attribute written as {@code qualifiedName}, or null. */
    public String attr(String qualifiedName) {
        for (int i = 0; i < attributes.length; i += 2) {
            if (attributes[i].equals(qualifiedName)) {
                return attributes[i + 1];
            }
        }
        return null;
    }

    /** The first child with this local name, or null. */
    public XmlElement child(String localName) {
        for (XmlElement child : children) {
            if (child.localName().equals(localName)) {
                return child;
            }
        }
        return null;
    }

    /** The text of the first child with this local name, or null when there is no such child. */
    public String childText(String localName) {
        XmlElement child = child(localName);
        return child == null ? null : child.text();
    }

    public List<XmlElement> children() { return children; }

    /** The character data directly inside this element, entities decoded. */
    public String text() { return text; }

    void addChild(XmlElement child) {
        if (children.isEmpty()) {
            children = new ArrayList<>(2);
        }
        children.add(child);
    }

    void appendText(String more) {
        text = text.isEmpty() ? more : text + more;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("<").append(name);
        for (int i = 0; i < attributes.length; i += 2) {
            out.append(' ').append(attributes[i]).append("='").append(XmlEscape.attribute(attributes[i + 1])).append('\'');
        }
        if (children.isEmpty() && text.isEmpty()) {
            return out.append("/>").toString();
        }
        out.append('>').append(XmlEscape.text(text));
        children.forEach(out::append);
        return out.append("</").append(name).append('>').toString();
    }
}
