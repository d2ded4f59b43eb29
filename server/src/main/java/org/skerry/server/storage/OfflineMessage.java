package org.skerry.server.storage;

import java.time.Instant;
import java.util.Objects;

/**
 * A message stored for a user who was offline (XEP-0160).
 *
 * @param id identifies the message for {@link OfflineRepository#delete}; ascending in storage order
 * @param stanzaXml the serialized message stanza, as it is to be delivered
 * @param storedAt when it was stored (microsecond precision), for the XEP-0203 delay stamp
 */
public record OfflineMessage(long id, String stanzaXml, Instant storedAt) {
    public OfflineMessage {
        Objects.requireNonNull(stanzaXml, "stanzaXml");
        Objects.requireNonNull(storedAt, "storedAt");
    }
}
