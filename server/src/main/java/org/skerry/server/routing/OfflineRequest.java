package org.skerry.server.routing;

import java.util.concurrent.CompletableFuture;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Jid;

/**
 * A message that no resource could take. {@code done} completes with true once the message is durably stored
 * (so that XEP-0198 may acknowledge it), or false when it was refused and bounced.
 */
public record OfflineRequest(Element stanza, Jid to, CompletableFuture<Boolean> done) {}
