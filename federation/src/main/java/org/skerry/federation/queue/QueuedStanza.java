package org.skerry.federation.queue;

import java.time.Instant;

/** One row of the outbound queue: the stanza as stored, with its XEP-0359 id and when it was accepted. */
public record QueuedStanza(long id, String peerDomain, String stanzaId, String xml, Instant queuedAt) {}
