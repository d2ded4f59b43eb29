package org.skerry.server.xml;

/**
 * Fired by {@link XmlStreamDecoder} when a stream header ({@code <stream:stream>}) has been read.
 *
 * @param header the header element in namespace {@code http://etherx.jabber.org/streams}, with its attributes
 *               ({@code to}, {@code from}, {@code version}, {@code xml:lang}, {@code id}) and its namespace
 *               declarations as attributes {@code xmlns} and {@code xmlns:prefix}
 */
public record StreamOpen(Element header) {

    /** The default (content) namespace declared on the header, e.g. {@code jabber:client}; "" if none. */
    public String defaultNamespace() {
        String namespace = header.attr("xmlns");
        return namespace == null ? "" : namespace;
    }
}
