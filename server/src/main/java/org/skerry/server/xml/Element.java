package org.skerry.server.xml;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A lightweight, mutable XML element: one stanza or one part of it.
 *
 * <p>Attributes keep their document order. A namespaced attribute other than {@code xml:} is not part of
 * XMPP stanzas we need to understand, so attribute names are kept as written ({@code xml:lang} stays
 * {@code "xml:lang"}). Children are {@link Element}s and {@link String} text nodes in document order.
 * The namespace is always the resolved namespace URI, never a prefix.
 */
public final class Element {
    private final String name;
    private final String namespace;
    private final LinkedHashMap<String, String> attributes = new LinkedHashMap<>();
    private final List<Object> children = new ArrayList<>();

    public Element(String name, String namespace) {
        this.name = Objects.requireNonNull(name, "name");
        this.namespace = namespace == null ? "" : namespace;
    }

    public String name() { return name; }

    public String namespace() { return namespace; }

    public boolean is(String name, String namespace) {
        return this.name.equals(name) && this.namespace.equals(namespace);
    }

    public String attr(String attribute) { return attributes.get(attribute); }

    /** Sets an attribute; a null value removes it. Returns this element for chaining. */
    public Element attr(String attribute, String value) {
        if (value == null) {
            attributes.remove(attribute);
        } else {
            attributes.put(attribute, value);
        }
        return this;
    }

    public Map<String, String> attributes() { return Collections.unmodifiableMap(attributes); }

    /** Children in document order: {@link Element} and {@link String}. */
    public List<Object> children() { return Collections.unmodifiableList(children); }

    public List<Element> elements() {
        List<Element> out = new ArrayList<>();
        for (Object child : children) {
            if (child instanceof Element) {
                out.add((Element) child);
            }
        }
        return out;
    }

    /** The first child element with this name and namespace, or null. */
    public Element child(String childName, String childNamespace) {
        for (Object child : children) {
            if (child instanceof Element && ((Element) child).is(childName, childNamespace)) {
                return (Element) child;
            }
        }
        return null;
    }

    /** The first child element with this name in this element's own namespace, or null. */
    public Element child(String childName) { return child(childName, namespace); }

    /** The first child element of any name, or null. */
    public Element firstElement() {
        for (Object child : children) {
            if (child instanceof Element) {
                return (Element) child;
            }
        }
        return null;
    }

    /** Adds a child element and returns it (not this), so that nested building reads top-down. */
    public Element addChild(String childName, String childNamespace) {
        Element child = new Element(childName, childNamespace);
        children.add(child);
        return child;
    }

    /** Adds a child element in this element's namespace and returns it. */
    public Element addChild(String childName) { return addChild(childName, namespace); }

    public Element add(Element child) {
        children.add(Objects.requireNonNull(child));
        return this;
    }

    public Element addText(String text) {
        if (text != null && !text.isEmpty()) {
            children.add(text);
        }
        return this;
    }

    public boolean remove(Element child) { return children.remove(child); }

    public void removeChildren(String childName, String childNamespace) {
        children.removeIf(c -> c instanceof Element && ((Element) c).is(childName, childNamespace));
    }

    public void clearChildren() { children.clear(); }

    /** The concatenated text of this element's direct text children ("" if none). */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (Object child : children) {
            if (child instanceof String) {
                sb.append((String) child);
            }
        }
        return sb.toString();
    }

    /** Text of the first child element with this name in this element's namespace, or null. */
    public String childText(String childName) {
        Element child = child(childName);
        return child == null ? null : child.text();
    }

    /** A deep copy. */
    public Element copy() {
        Element copy = new Element(name, namespace);
        copy.attributes.putAll(attributes);
        for (Object child : children) {
            copy.children.add(child instanceof Element ? ((Element) child).copy() : child);
        }
        return copy;
    }

    /** Serializes with a namespace declaration wherever the namespace differs from the parent's. */
    public String toXml() {
        StringBuilder sb = new StringBuilder(128);
        XmlWriter.write(this, null, sb);
        return sb.toString();
    }

    /** Serializes as a child of an element in {@code parentNamespace} (no xmlns if equal). */
    public String toXml(String parentNamespace) {
        StringBuilder sb = new StringBuilder(128);
        XmlWriter.write(this, parentNamespace, sb);
        return sb.toString();
    }

    @Override
    public String toString() { return toXml(); }
}
