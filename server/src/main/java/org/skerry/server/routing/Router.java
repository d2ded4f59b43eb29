package org.skerry.server.routing;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.skerry.server.module.EventBus;
import org.skerry.server.module.EventType;
import org.skerry.server.session.ClientSession;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Jid;
import org.skerry.server.xmpp.StanzaError;
import org.skerry.server.xmpp.Stanzas;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every stanza into the event for its addressee (RFC 6120 §10): a served domain, a local account, a local
 * resource, or a remote domain handed to the {@link RemoteRouter}. The delivery rules themselves live in the
 * priority-0 handlers of {@link LocalDelivery}, so modules can intercept any step.
 *
 * <p>Every route call returns a future that completes when the stanza is delivered or durably stored; XEP-0198
 * acknowledges a client's stanza only then.
 */
public final class Router {
    private static final Logger log = LoggerFactory.getLogger(Router.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final EventBus events;
    private final Predicate<String> isLocalDomain;
    private final ScheduledExecutorService scheduler;
    private volatile RemoteRouter remoteRouter;
    private final Map<String, PendingIq> pendingIqs = new ConcurrentHashMap<>();
    private final AtomicLong iqIds = new AtomicLong();
    /** Completion of the stanza being routed on this thread, set by handlers that finish later (offline store). */
    private static final ThreadLocal<CompletableFuture<Void>> deferred = new ThreadLocal<>();

    /** An IQ the server sent: only its addressee may answer it (ids are sequential, so easy to guess). */
    private record PendingIq(Jid addressee, Consumer<Element> callback, ScheduledFuture<?> timeout) {}

    public Router(EventBus events, Predicate<String> isLocalDomain, ScheduledExecutorService scheduler) {
        this.events = events;
        this.isLocalDomain = isLocalDomain;
        this.scheduler = scheduler;
    }

    public void setRemoteRouter(RemoteRouter router) { this.remoteRouter = router; }

    /**
     * Routes a stanza sent by a local client. The 'from' attribute must already be stamped with the session's
     * full JID (RFC 6120 §8.1.2.1).
     */
    public CompletableFuture<Void> routeFromClient(ClientSession origin, Element stanza) {
        Jid from = origin.jid();
        String toAttr = stanza.attr("to");
        Jid to;
        if (toAttr == null) {
            to = null;
        } else {
            to = Jid.parseOrNull(toAttr);
            if (to == null) {
                // The error comes from our server: the malformed address cannot be its 'from' (route would drop it).
                stanza.attr("to", from.domain());
                bounce(stanza, StanzaError.JID_MALFORMED, "The 'to' address is not a valid JID");
                return DONE;
            }
            stanza.attr("to", to.toString());
        }
        if (Stanzas.isPresence(stanza)) {
            StanzaEvent event = new StanzaEvent(stanza, origin, from, to == null ? from.bare() : to);
            Object outcome = fireTracked(Events.PRESENCE_OUTBOUND, event);
            if (outcome instanceof CompletableFuture<?> f) {
                return f.thenApply(x -> null);
            }
            if (outcome == Boolean.TRUE || to == null) {
                return DONE; // handled, or a broadcast nobody handled: nothing more to deliver
            }
        }
        return dispatch(stanza, origin, from, to == null ? from.bare() : to);
    }

    /** Routes a stanza made by the server or relayed from a peer; 'from' must be set. */
    public CompletableFuture<Void> route(Element stanza) {
        Jid from = Jid.parseOrNull(stanza.attr("from"));
        Jid to = Jid.parseOrNull(stanza.attr("to"));
        if (from == null || to == null) {
            log.debug("Dropping a stanza without valid addresses: {}", stanza);
            return DONE;
        }
        return dispatch(stanza, null, from, to);
    }

    private CompletableFuture<Void> dispatch(Element stanza, ClientSession origin, Jid from, Jid to) {
        if (!isLocalDomain.test(to.domain())) {
            RemoteRouter remote = remoteRouter;
            if (remote == null) {
                bounce(stanza, StanzaError.REMOTE_SERVER_NOT_FOUND, "This node has no server-to-server route to that domain");
                return DONE;
            }
            return remote.route(to.domain(), stanza);
        }
        if (Stanzas.isIq(stanza) && handleIqResponse(stanza, to)) {
            return DONE;
        }
        EventType<StanzaEvent> type = eventFor(stanza.name(), to);
        Object outcome = fireTracked(type, new StanzaEvent(stanza, origin, from, to));
        return outcome instanceof CompletableFuture<?> f ? f.thenApply(x -> null) : DONE;
    }

    /** Fires an event and returns the deferred completion a handler registered, or a marker for "handled now". */
    private Object fireTracked(EventType<StanzaEvent> type, StanzaEvent event) {
        CompletableFuture<Void> outer = deferred.get();
        deferred.remove();
        try {
            boolean handled = events.fire(type, event);
            CompletableFuture<Void> later = deferred.get();
            if (later != null) {
                return later;
            }
            return handled ? Boolean.TRUE : Boolean.FALSE;
        } finally {
            if (outer != null) {
                deferred.set(outer);
            } else {
                deferred.remove();
            }
        }
    }

    /**
     * Called by a handler that accepted the current stanza but finishes it later (a durable store): the route
     * call's future then completes with {@code completion}.
     */
    public static void defer(CompletableFuture<?> completion) {
        deferred.set(completion.thenApply(x -> null));
    }

    private static EventType<StanzaEvent> eventFor(String kind, Jid to) {
        boolean host = to.local() == null;
        boolean bare = to.resource() == null;
        return switch (kind) {
            case "message" -> host ? Events.MESSAGE_HOST : bare ? Events.MESSAGE_BARE : Events.MESSAGE_FULL;
            case "presence" -> host ? Events.PRESENCE_HOST : bare ? Events.PRESENCE_BARE : Events.PRESENCE_FULL;
            default -> host ? Events.IQ_HOST : bare ? Events.IQ_BARE : Events.IQ_FULL;
        };
    }

    /** Replies with a stanza error to the sender, unless the stanza is itself an error (no error loops). */
    public void bounce(Element stanza, StanzaError condition, String text) {
        if ("error".equals(stanza.attr("type")) || stanza.attr("from") == null) {
            return;
        }
        if (Stanzas.isPresence(stanza) && stanza.attr("type") != null && !"probe".equals(stanza.attr("type"))) {
            return; // RFC 6121: subscription-related presence to a bad address is dropped silently
        }
        Element error = Stanzas.error(stanza, condition, text);
        if (error.attr("from") == null) {
            // The stanza had no 'to': the server answered for the sender's account (RFC 6120 §10.3).
            Jid sender = Jid.parseOrNull(stanza.attr("from"));
            error.attr("from", sender == null ? null : sender.bare().toString());
        }
        route(error);
    }

    /**
     * Sends the answer to a request. A local client gets it straight on its session (an answer for a stanza
     * without 'to' then carries no 'from', as RFC 6120 §8.1.2.1 allows); anyone else through the router.
     */
    public void reply(StanzaEvent request, Element response) {
        ClientSession origin = request.origin();
        if (origin != null && origin.jid().toString().equals(response.attr("to"))) {
            origin.deliver(response);
        } else {
            route(response);
        }
    }

    public void bounce(Element stanza, StanzaError condition) { bounce(stanza, condition, null); }

    // ---- IQs the server itself sends (pings to silent clients, etc.) ----

    /** Sends an IQ get/set from the server and calls back with the response, or null on timeout. */
    public void sendIq(Element iq, Duration timeout, Consumer<Element> callback) {
        iq.attr("id", expectResponse(Jid.parseOrNull(iq.attr("to")), timeout, callback));
        route(iq);
    }

    /**
     * For an IQ the server sends by a way of its own rather than {@link #route} (federation check writes it on a
     * stream of its own): returns the id to send it with, and calls back with the response from {@code addressee}
     * when it is routed here, or with null on timeout.
     */
    public String expectResponse(Jid addressee, Duration timeout, Consumer<Element> callback) {
        String id = "skerry-" + iqIds.incrementAndGet();
        ScheduledFuture<?> timer = scheduler.schedule(() -> {
            PendingIq pending = pendingIqs.remove(id);
            if (pending != null) {
                pending.callback().accept(null);
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        pendingIqs.put(id, new PendingIq(addressee, callback, timer));
        return id;
    }

    private boolean handleIqResponse(Element iq, Jid to) {
        String type = iq.attr("type");
        if (!"result".equals(type) && !"error".equals(type) || to.local() != null && to.resource() != null) {
            return false;
        }
        String id = iq.attr("id");
        PendingIq pending = id == null ? null : pendingIqs.get(id);
        if (pending == null || !java.util.Objects.equals(pending.addressee(), Jid.parseOrNull(iq.attr("from")))
                || !pendingIqs.remove(id, pending)) {
            return true; // a stray response to the server or to an account: nobody waits for it
        }
        pending.timeout().cancel(false);
        pending.callback().accept(iq);
        return true;
    }
}
