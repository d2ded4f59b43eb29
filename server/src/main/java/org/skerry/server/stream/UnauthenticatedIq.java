package org.skerry.server.stream;

import java.util.function.Consumer;
import org.skerry.server.module.EventType;
import org.skerry.server.xml.Element;

/**
 * An IQ sent before authentication (XEP-0077 in-band registration is the one legitimate case). A handler that
 * takes it answers through {@code reply} and returns true; unhandled, the stream is closed with not-authorized.
 */
public record UnauthenticatedIq(Element iq, String domain, boolean secure, String remoteAddress, Consumer<Element> reply) {
    public static final EventType<UnauthenticatedIq> EVENT = new EventType<>("stream/unauthenticated-iq");
}
