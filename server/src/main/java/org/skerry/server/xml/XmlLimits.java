package org.skerry.server.xml;

/**
 * Bounds that an {@link XmlStreamParser} enforces on untrusted input (RFC 6120 §13.12 resource exhaustion).
 *
 * @param maxStanzaBytes the largest first-level element (a stanza, including its children) in bytes; the same
 *                       bound applies to everything before the stream header (XML declaration and header) and to
 *                       any other region between events at stream level, so no byte run is buffered without bound
 * @param maxDepth       the deepest nesting inside the stream: a stanza is depth 1, its children depth 2, ...
 * @param maxAttributes  the most attributes on one element; namespace declarations count as attributes
 */
public record XmlLimits(int maxStanzaBytes, int maxDepth, int maxAttributes) {

    public XmlLimits {
        if (maxStanzaBytes <= 0 || maxDepth <= 0 || maxAttributes < 0) {
            throw new IllegalArgumentException("XML limits must be positive: " + maxStanzaBytes + ", " + maxDepth
                + ", " + maxAttributes);
        }
    }

    /** 256 KiB stanzas (as Prosody's default c2s limit), depth 32, 64 attributes. */
    public static XmlLimits defaults() {
        return new XmlLimits(262_144, 32, 64);
    }
}
