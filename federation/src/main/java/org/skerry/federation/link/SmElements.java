package org.skerry.federation.link;

import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Namespaces;
import org.skerry.server.xmpp.StanzaError;
import org.skerry.server.xmpp.StreamError;
import org.skerry.server.xmpp.StreamError.Condition;

/** The XEP-0198 elements both ends of an s2s link write and read. */
final class SmElements {
    private SmElements() {}

    /** 'h' is an xs:unsignedInt. */
    private static final long MAX_H = 0xFFFFFFFFL;

    static boolean isStreamManagement(Element element) { return Namespaces.SM.equals(element.namespace()); }

    static Element feature() { return new Element("sm", Namespaces.SM); }

    static Element enable() { return new Element("enable", Namespaces.SM); }

    static Element enabled() { return new Element("enabled", Namespaces.SM); }

    static Element failed(StanzaError condition) {
        Element failed = new Element("failed", Namespaces.SM);
        failed.addChild(condition.elementName(), Namespaces.STANZAS_ERROR);
        return failed;
    }

    /** {@code <r/>}: how many of my stanzas have you handled? */
    static Element request() { return new Element("r", Namespaces.SM); }

    /** {@code <a h='...'/>}: the answer, with the 32-bit 'h'. */
    static Element answer(long h) { return new Element("a", Namespaces.SM).attr("h", Long.toString(h & MAX_H)); }

    /** The 'h' of an {@code <a/>}; a missing or malformed one ends the stream. */
    static long h(Element answer) {
        String value = answer.attr("h");
        try {
            long h = Long.parseLong(value);
            if (h >= 0 && h <= MAX_H) {
                return h;
            }
        } catch (NumberFormatException malformed) {
            // the stream error below
        }
        throw new StreamError(Condition.INVALID_XML, "The 'h' of <a/> must be an unsignedInt, not " + value);
    }

    /** XEP-0198 §6: the peer acknowledged {@code h} stanzas, more than the {@code sent} it was sent. */
    static StreamError handledCountTooHigh(long h, long sent) {
        Element condition = new Element("handled-count-too-high", Namespaces.SM)
                .attr("h", Long.toString(h)).attr("send-count", Long.toString(sent & MAX_H));
        return new StreamError(Condition.UNDEFINED_CONDITION,
                "You acknowledged " + h + " stanzas, but I only sent you " + (sent & MAX_H) + " so far", condition);
    }
}
