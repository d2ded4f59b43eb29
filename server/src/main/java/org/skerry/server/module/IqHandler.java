package org.skerry.server.module;

import org.skerry.server.routing.StanzaEvent;

/** Answers an IQ get or set. The handler must send exactly one result or error, now or later. */
@FunctionalInterface
public interface IqHandler {
    void handle(StanzaEvent iq);
}
