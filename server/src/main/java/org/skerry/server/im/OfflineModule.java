package org.skerry.server.im;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.List;
import org.skerry.server.ServerContext;
import org.skerry.server.module.Implements;
import org.skerry.server.module.Module;
import org.skerry.server.module.ModuleContext;
import org.skerry.server.routing.Events;
import org.skerry.server.routing.OfflineRequest;
import org.skerry.server.session.ClientSession;
import org.skerry.server.storage.OfflineMessage;
import org.skerry.server.xml.Element;
import org.skerry.server.xml.ElementParser;
import org.skerry.server.xmpp.Jid;
import org.skerry.server.xmpp.Namespaces;
import org.skerry.server.xmpp.StanzaError;
import org.skerry.server.xmpp.Stanzas;

/**
 * XEP-0160: messages for an account with no available resource are stored durably, stamped with XEP-0203 delay,
 * and delivered in order when a resource of the account is next available with a non-negative priority (at its
 * initial presence, or when it raises a negative priority).
 * Delivery happens before deletion, so a crash in between repeats a message rather than losing it.
 */
@Implements(spec = "XEP-0160", version = "1.0.1")
@Implements(spec = "XEP-0203", version = "2.0")
public final class OfflineModule implements Module {
    private static final int BATCH = 100;
    private static final Duration WRITE_WAIT = Duration.ofSeconds(30);
    private static final String CHAT_STATES = "http://jabber.org/protocol/chatstates";

    private ServerContext server;
    private int quota;

    @Override
    public void start(ModuleContext context) {
        server = context.server();
        quota = server.config().offline().maxMessagesPerUser();
        if (quota <= 0) {
            return; // disabled: messages for offline accounts bounce
        }
        context.advertise("msgoffline");
        context.on(Events.MESSAGE_OFFLINE, 10, this::store);
        context.on(Events.SESSION_AVAILABLE, 5, this::deliver);
        context.on(PresenceModule.NOW_NON_NEGATIVE, 5, this::deliver);
    }

    private boolean store(OfflineRequest request) {
        Element stanza = request.stanza();
        if (onlyChatState(stanza)) {
            request.done().complete(false); // XEP-0085 §5.6: notifications are not worth keeping
            return true;
        }
        Jid user = request.to().bare();
        server.storage().run(user, () -> {
            if (!server.accounts().exists(user)) {
                server.router().bounce(stanza, StanzaError.SERVICE_UNAVAILABLE);
                return false;
            }
            Element copy = stanza.copy();
            if (copy.child("delay", Namespaces.DELAY) == null) {
                Stanzas.addDelay(copy, user.domain(), server.clock().instant(), "Offline Storage");
            }
            boolean stored = server.storage().offline().store(user.domain(), user.local(), copy.toXml(Namespaces.CLIENT),
                    server.clock().instant(), quota);
            if (!stored) {
                server.router().bounce(stanza, StanzaError.SERVICE_UNAVAILABLE, "The recipient's offline storage is full");
            } else {
                // The router chose offline storage before this task ran. A resource that became available in
                // between queued its delivery on this same lane ahead of us and found nothing, so hand it over now.
                Optional<ClientSession> online = firstAvailable(user);
                if (online.isPresent()) {
                    flush(online.get());
                }
            }
            return stored;
        }).whenComplete((stored, failure) -> {
            if (failure != null) {
                server.router().bounce(stanza, StanzaError.RESOURCE_CONSTRAINT, "The server is busy; try again later");
                request.done().complete(false);
            } else {
                request.done().complete(stored);
            }
        });
        return true;
    }

    private boolean deliver(ClientSession session) {
        if (session.priority() < 0) {
            return false;
        }
        server.storage().run(session.bare(), () -> {
            flush(session);
            return null;
        });
        return false;
    }

    /** Delivers the account's stored messages to {@code session}, oldest first; runs on the account's storage lane. */
    private void flush(ClientSession session) throws InterruptedException {
        Jid user = session.bare();
        while (!session.isClosed()) {
            List<OfflineMessage> batch = server.storage().offline().fetch(user.domain(), user.local(), BATCH);
            if (batch.isEmpty()) {
                break;
            }
            List<Long> ids = new ArrayList<>();
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (OfflineMessage message : batch) {
                Element stanza = ElementParser.parse(message.stanzaXml());
                ids.add(message.id());
                if (stanza == null) {
                    writes.add(CompletableFuture.completedFuture(null)); // unreadable: nothing to deliver
                    continue;
                }
                stanza.attr("to", session.jid().toString());
                writes.add(session.deliver(stanza));
            }
            // Deleted only once written to the client's socket: a crash or a dropped connection in between
            // repeats a message at the next login rather than losing it.
            List<Long> delivered = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                try {
                    writes.get(i).get(WRITE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    delivered.add(ids.get(i));
                } catch (ExecutionException | TimeoutException e) {
                    break; // keep this one and the rest, in order, for the next login
                }
            }
            server.storage().offline().delete(user.domain(), user.local(), delivered);
            if (delivered.size() < ids.size() || session.isClosed()) {
                break;
            }
            }
    }

    /** An available resource with the highest non-negative priority, the one a message to the account goes to. */
    private Optional<ClientSession> firstAvailable(Jid user) {
        return server.sessions().available(user).stream().filter(s -> s.priority() >= 0)
                .max(Comparator.comparingInt(ClientSession::priority));
    }

    private static boolean onlyChatState(Element message) {
        List<Element> children = message.elements();
        if (children.isEmpty()) {
            return true;
        }
        for (Element child : children) {
            if (!child.namespace().equals(CHAT_STATES)) {
                return false;
            }
        }
        return true;
    }
}
