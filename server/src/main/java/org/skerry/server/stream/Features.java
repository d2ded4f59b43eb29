package org.skerry.server.stream;

import org.skerry.server.module.EventHandler;
import org.skerry.server.module.EventType;
import org.skerry.server.xml.Element;

/**
 * Stream features that modules add to the core's ({@code <register/>}, roster versioning, pre-approval...).
 * Handlers append children to {@code features} and return false so that every module gets its turn.
 */
public record Features(boolean secure, boolean authenticated, Element features) {
    public static final EventType<Features> EVENT = new EventType<>("stream/features");

    /** A handler that adds an empty {@code <name xmlns='namespace'/>} feature to every authenticated stream. */
    public static EventHandler<Features> afterAuthentication(String name, String namespace) {
        return f -> {
            if (f.authenticated()) {
                f.features().addChild(name, namespace);
            }
            return false;
        };
    }
}
