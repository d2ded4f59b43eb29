package org.skerry.federation.link;

import java.util.Map;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Namespaces;

/**
 * The core routes stanzas in {@code jabber:client}; on s2s they travel in {@code jabber:server} (RFC 6120 §4.8.3).
 * The namespace of every descendant that inherited it changes too (the {@code <error/>} child, for one).
 */
final class StanzaNamespaces {
    private StanzaNamespaces() {}

    /** A copy of a core stanza for writing on an s2s stream. */
    static Element toServer(Element stanza) { return convert(stanza, Namespaces.CLIENT, Namespaces.SERVER); }

    /** A copy of a stanza read from an s2s stream, for the router. */
    static Element toClient(Element stanza) { return convert(stanza, Namespaces.SERVER, Namespaces.CLIENT); }

    private static Element convert(Element element, String from, String to) {
        Element copy = new Element(element.name(), element.namespace().equals(from) ? to : element.namespace());
        for (Map.Entry<String, String> attribute : element.attributes().entrySet()) {
            copy.attr(attribute.getKey(), attribute.getValue());
        }
        for (Object child : element.children()) {
            if (child instanceof Element e) {
                copy.add(convert(e, from, to));
            } else {
                copy.addText((String) child);
            }
        }
        return copy;
    }
}
