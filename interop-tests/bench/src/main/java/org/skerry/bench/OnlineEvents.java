package org.skerry.bench;

import org.skerry.bench.load.ChatLoad;
import org.skerry.bench.load.ErrorCounts;
import org.skerry.bench.xmpp.ClientSession;
import org.skerry.bench.xmpp.SessionEvents;

/** What logged-in sessions report during a run: drops and stanza errors are counted, chat goes to the load. */
final class OnlineEvents implements SessionEvents {
    private final ErrorCounts errors;
    private volatile ChatLoad chat;

    OnlineEvents(ErrorCounts errors) { this.errors = errors; }

    void chat(ChatLoad load) { chat = load; }

    @Override
    public void dropped(ClientSession session, String reason) { errors.add("dropped:" + reason); }

    @Override
    public void stanzaError(String reason) { errors.add(reason); }

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
