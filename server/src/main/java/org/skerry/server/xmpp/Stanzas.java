package org.skerry.server.xmpp;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.skerry.server.xml.Element;

/** Builders and predicates for stanzas: replies, errors, delay stamps. */
public final class Stanzas {
    private Stanzas() {}

    public static boolean isMessage(Element e) { return e.name().equals("message"); }

    public static boolean isPresence(Element e) { return e.name().equals("presence"); }

    public static boolean isIq(Element e) { return e.name().equals("iq"); }

    public static boolean isStanza(Element e) {
        String ns = e.namespace();
        return (ns.equals(Namespaces.CLIENT) || ns.equals(Namespaces.SERVER))
                && (isMessage(e) || isPresence(e) || isIq(e));
    }

    /** The type attribute, with RFC 6120 defaults: "normal" for message, "available" (null) for presence. */
    public static String type(Element e) {
        String type = e.attr("type");
        if (type == null && isMessage(e)) {
            return "normal";
        }
        return type;
    }

    /** An empty IQ result for a get or set. */
    public static Element iqResult(Element iq) {
        Element result = new Element("iq", iq.namespace());
        result.attr("type", "result").attr("id", iq.attr("id"));
        result.attr("from", iq.attr("to")).attr("to", iq.attr("from"));
        return result;
    }

    public static Element iq(String type, String id, String from, String to) {
        return new Element("iq", Namespaces.CLIENT).attr("type", type).attr("id", id).attr("from", from).attr("to", to);
    }

    /**
     * An error reply to a stanza (RFC 6120 §8.3.1): addresses swapped, type error, original payload kept so that
     * the sender can tell which stanza failed.
     */
    public static Element error(Element stanza, StanzaError condition, String text) {
        Element reply = new Element(stanza.name(), stanza.namespace());
        reply.attr("type", "error").attr("id", stanza.attr("id"));
        reply.attr("from", stanza.attr("to")).attr("to", stanza.attr("from"));
        if (!isIq(stanza)) {
            for (Element child : stanza.elements()) {
                reply.add(child.copy());
            }
        }
        Element error = reply.addChild("error", stanza.namespace()).attr("type", condition.defaultType());
        error.addChild(condition.elementName(), Namespaces.STANZAS_ERROR);
        if (text != null) {
            error.addChild("text", Namespaces.STANZAS_ERROR).attr("xml:lang", "en").addText(text);
        }
        return reply;
    }

    public static Element error(Element stanza, StanzaError condition) { return error(stanza, condition, null); }

    /** XEP-0082 date-time in UTC with millisecond precision. */
    public static String timestamp(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    /** Adds a XEP-0203 delay stamp unless the stanza already carries one from this server. */
    public static Element addDelay(Element stanza, String from, Instant when, String reason) {
        Element delay = stanza.addChild("delay", Namespaces.DELAY).attr("from", from).attr("stamp", timestamp(when));
        if (reason != null) {
            delay.addText(reason);
        }
        return stanza;
    }
}
