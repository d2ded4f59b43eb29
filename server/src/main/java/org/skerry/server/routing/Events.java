package org.skerry.server.routing;

import org.skerry.server.module.EventType;
import org.skerry.server.session.ClientSession;

/**
 * The events the core fires. Stanza events are named after the stanza kind and the shape of the addressee:
 * {@code /host} (a served domain), {@code /bare} (an account), {@code /full} (one resource). The core's RFC 6121 §8
 * delivery rules are the priority-0 handlers ({@link LocalDelivery}); modules register above them to intercept.
 */
public final class Events {
    private Events() {}

    public static final EventType<StanzaEvent> MESSAGE_HOST = new EventType<>("message/host");
    public static final EventType<StanzaEvent> MESSAGE_BARE = new EventType<>("message/bare");
    public static final EventType<StanzaEvent> MESSAGE_FULL = new EventType<>("message/full");
    public static final EventType<StanzaEvent> PRESENCE_HOST = new EventType<>("presence/host");
    public static final EventType<StanzaEvent> PRESENCE_BARE = new EventType<>("presence/bare");
    public static final EventType<StanzaEvent> PRESENCE_FULL = new EventType<>("presence/full");
    public static final EventType<StanzaEvent> IQ_HOST = new EventType<>("iq/host");
    public static final EventType<StanzaEvent> IQ_BARE = new EventType<>("iq/bare");
    public static final EventType<StanzaEvent> IQ_FULL = new EventType<>("iq/full");

    /** Presence sent by a local client, before it is routed: broadcasts and subscription requests start here. */
    public static final EventType<StanzaEvent> PRESENCE_OUTBOUND = new EventType<>("presence/outbound");

    /**
     * A chat or normal message for a local account with no available resource. A handler that stores it must
     * complete {@link OfflineRequest#done()} only once it is durably stored. Unhandled, it bounces.
     */
    public static final EventType<OfflineRequest> MESSAGE_OFFLINE = new EventType<>("message/offline");

    /** A resource was bound; the session can now send and receive stanzas. */
    public static final EventType<ClientSession> SESSION_BOUND = new EventType<>("session/bound");

    /** The session sent its initial available presence (RFC 6121 §4.2). */
    public static final EventType<ClientSession> SESSION_AVAILABLE = new EventType<>("session/available");

    /** The session ended for good (a hibernating XEP-0198 session ends when its resumption time runs out). */
    public static final EventType<ClientSession> SESSION_CLOSED = new EventType<>("session/closed");
}
