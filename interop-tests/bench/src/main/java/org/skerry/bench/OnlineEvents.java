package org.skerry.bench;

import org.skerry.bench.load.ChatLoad;
import org.skerry.bench.load.ErrorCounts;
import org.skerry.bench.xmpp.ClientSession;
import org.skerry.bench.xmpp.SessionEvents;

/**
 * What logged-in sessions report during a run: drops and stanza errors are counted, chat goes to the load. Once
 * the run closes its sessions, neither counts: a message still in flight to a partner who already logged out
 * bounces (service-unavailable on a server without offline storage), which says nothing about the load.
 */
final class OnlineEvents implements SessionEvents {
    private final ErrorCounts errors;
    private volatile ChatLoad chat;
    private volatile boolean closing;

    OnlineEvents(ErrorCounts errors) { this.errors = errors; }

    void chat(ChatLoad load) { chat = load; }

    void closing() { closing = true; }

    @Override
    public void dropped(ClientSession session, String reason) {
        if (!closing) {
            errors.add("dropped:" + reason);
        }
    }

    @Override
    public void stanzaError(String reason) {
        if (!closing) {
            errors.add(reason);
        }
    }

    @Override
    public void chatReceived(String body, long receivedNanos) {
        ChatLoad load = chat;
        if (load != null) {
            load.received(body, receivedNanos);
        }
    }

    @Override
    public void loggedIn(ClientSession session, long latencyNanos) { }

    @Override
    public void registered(ClientSession session, boolean alreadyExisted) { }

    @Override
    public void attemptFailed(ClientSession session, String reason) { }
}
