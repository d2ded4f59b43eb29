package org.skerry.bench.xmpp;

/**
 * What sessions report to the scenario running them. Called on the session's event loop: implementations must be
 * quick and thread-safe. A session ends its attempt with exactly one of {@link #loggedIn}, {@link #registered} or
 * {@link #attemptFailed}; a logged-in session that ends without being asked to reports {@link #dropped}.
 */
public interface SessionEvents {
    void loggedIn(ClientSession session, long latencyNanos);

    void registered(ClientSession session, boolean alreadyExisted);

    void attemptFailed(ClientSession session, String reason);

    void dropped(ClientSession session, String reason);

    /** A chat message from the load arrived; {@code body} is its body text. */
    void chatReceived(String body, long receivedNanos);

    /** A stanza-level error that does not end the session (an error reply to a message). */
    void stanzaError(String reason);
}
