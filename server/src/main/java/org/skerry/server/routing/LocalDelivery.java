package org.skerry.server.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.skerry.server.module.EventBus;
import org.skerry.server.module.IqHandler;
import org.skerry.server.session.ClientSession;
import org.skerry.server.session.SessionRegistry;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.StanzaError;

/**
 * The core's RFC 6121 §8 delivery rules, as the priority-0 handlers of the stanza events, and the IQ dispatch
 * by payload namespace. Modules register above priority 0 to change any of it.
 */
public final class LocalDelivery {
    private final SessionRegistry sessions;
    private final Router router;
    private final EventBus events;
    private final Map<String, IqHandler> hostIq = new ConcurrentHashMap<>();
    private final Map<String, IqHandler> accountIq = new ConcurrentHashMap<>();

    public LocalDelivery(SessionRegistry sessions, Router router, EventBus events) {
        this.sessions = sessions;
        this.router = router;
        this.events = events;
        events.on(Events.MESSAGE_BARE, 0, this::messageToBare);
        events.on(Events.MESSAGE_FULL, 0, this::messageToFull);
        events.on(Events.MESSAGE_HOST, 0, e -> true); // RFC 6120 §10.3.1: the server may ignore it
        events.on(Events.PRESENCE_BARE, 0, this::presenceToBare);
        events.on(Events.PRESENCE_FULL, 0, this::presenceToFull);
        events.on(Events.PRESENCE_HOST, 0, e -> true);
        events.on(Events.IQ_HOST, 0, e -> dispatchIq(e, hostIq));
        events.on(Events.IQ_BARE, 0, e -> dispatchIq(e, accountIq));
        events.on(Events.IQ_FULL, 0, this::iqToFull);
        events.on(Events.MESSAGE_OFFLINE, 0, this::noOfflineStorage);
    }

    public void registerHostIq(String namespace, IqHandler handler) { register(hostIq, namespace, handler); }

    public void registerAccountIq(String namespace, IqHandler handler) { register(accountIq, namespace, handler); }

    private static void register(Map<String, IqHandler> map, String namespace, IqHandler handler) {
        if (map.putIfAbsent(namespace, handler) != null) {
            throw new IllegalStateException("Two handlers for IQ namespace " + namespace);
        }
    }

    private boolean dispatchIq(StanzaEvent event, Map<String, IqHandler> handlers) {
        Element iq = event.stanza();
        String type = iq.attr("type");
        if (!"get".equals(type) && !"set".equals(type)) {
            if (type == null || !"result".equals(type) && !"error".equals(type)) {
                router.bounce(iq, StanzaError.BAD_REQUEST, "An IQ needs a type of get, set, result or error");
            }
            return true;
        }
        List<Element> payload = iq.elements();
        if (payload.size() != 1) {
            router.bounce(iq, StanzaError.BAD_REQUEST, "An IQ get or set carries exactly one payload element");
            return true;
        }
        IqHandler handler = handlers.get(payload.get(0).namespace());
        if (handler == null) {
            router.bounce(iq, StanzaError.SERVICE_UNAVAILABLE);
        } else {
            handler.handle(event);
        }
        return true;
    }

    private boolean messageToBare(StanzaEvent event) {
        String type = event.type();
        switch (type) {
            case "error":
                return true; // RFC 6121 §8.5.2.1.1: silently ignored
            case "groupchat":
                router.bounce(event.stanza(), StanzaError.SERVICE_UNAVAILABLE);
                return true;
            case "headline":
                deliverAll(nonNegative(event), event.stanza());
                return true;
            default: {
                List<ClientSession> top = topPriority(event);
                if (top.isEmpty()) {
                    CompletableFuture<Boolean> stored = new CompletableFuture<>();
                    if (!events.fire(Events.MESSAGE_OFFLINE, new OfflineRequest(event.stanza(), event.to(), stored))) {
                        stored.complete(false);
                    }
                    Router.defer(stored);
                    return true;
                }
                deliverAll(top, event.stanza());
                return true;
            }
        }
    }

    private boolean messageToFull(StanzaEvent event) {
        ClientSession target = sessions.session(event.to());
        if (target != null) {
            Router.defer(target.deliver(event.stanza()));
            return true;
        }
        switch (event.type()) {
            case "error":
                return true;
            case "groupchat":
                router.bounce(event.stanza(), StanzaError.SERVICE_UNAVAILABLE);
                return true;
            default:
                // RFC 6121 §8.5.3.2.1: chat, normal and headline for a resource that is gone go to the account
                return messageToBare(new StanzaEvent(event.stanza(), event.origin(), event.from(), event.to().bare()));
        }
    }

    private boolean presenceToBare(StanzaEvent event) {
        String type = event.stanza().attr("type");
        if (type == null || "unavailable".equals(type)) {
            deliverAll(sessions.available(event.to()), event.stanza());
        }
        return true; // subscription states and probes belong to the presence module
    }

    private boolean presenceToFull(StanzaEvent event) {
        String type = event.stanza().attr("type");
        ClientSession target = sessions.session(event.to());
        if (target != null && (type == null || "unavailable".equals(type) || "error".equals(type))) {
            Router.defer(target.deliver(event.stanza()));
        }
        return true;
    }

    private boolean iqToFull(StanzaEvent event) {
        ClientSession target = sessions.session(event.to());
        if (target != null) {
            Router.defer(target.deliver(event.stanza()));
        } else {
            String type = event.stanza().attr("type");
            if ("get".equals(type) || "set".equals(type)) {
                router.bounce(event.stanza(), StanzaError.SERVICE_UNAVAILABLE);
            }
        }
        return true;
    }

    private boolean noOfflineStorage(OfflineRequest request) {
        router.bounce(request.stanza(), StanzaError.SERVICE_UNAVAILABLE);
        request.done().complete(false);
        return true;
    }

    /**
     * Delivers to each session; the route call completes once every copy is written, so that whoever waits on it
     * (XEP-0198 acks, a roster removal's answer) sees the delivery done, not merely queued.
     */
    private static void deliverAll(List<ClientSession> targets, Element stanza) {
        CompletableFuture<?>[] writes = new CompletableFuture<?>[targets.size()];
        for (int i = 0; i < writes.length; i++) {
            writes[i] = targets.get(i).deliver(stanza);
        }
        Router.defer(CompletableFuture.allOf(writes));
    }

    private List<ClientSession> nonNegative(StanzaEvent event) {
        List<ClientSession> out = new ArrayList<>();
        for (ClientSession s : sessions.available(event.to())) {
            if (s.priority() >= 0) {
                out.add(s);
            }
        }
        return out;
    }

    /** RFC 6121 §8.5.2.1.1: the available resources with the highest non-negative priority. */
    private List<ClientSession> topPriority(StanzaEvent event) {
        List<ClientSession> top = new ArrayList<>();
        int best = -1;
        for (ClientSession s : nonNegative(event)) {
            if (s.priority() > best) {
                top.clear();
                best = s.priority();
            }
            if (s.priority() == best) {
                top.add(s);
            }
        }
        return top;
    }
}
