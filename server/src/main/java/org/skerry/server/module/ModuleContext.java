package org.skerry.server.module;

import org.skerry.server.ServerContext;
import org.skerry.server.control.ControlCommand;

/** What a module sees of the node while it starts. */
public interface ModuleContext {
    ServerContext server();

    /** Advertises a feature in the server's disco#info. */
    void advertise(String feature);

    /** Adds a disco#info identity for the server. */
    void identity(String category, String type, String name);

    /**
     * Handles IQ get/set whose payload has this namespace, addressed to the server (a served domain).
     * One handler per namespace; a second registration is a programming error.
     */
    void onIq(String namespace, IqHandler handler);

    /**
     * Handles IQ get/set with this payload namespace addressed to an account's bare JID, which the server answers
     * on the account's behalf (RFC 6120 §10.3.3): roster, private storage and the like. An IQ from a client with
     * no 'to' arrives here addressed to the client's own bare JID.
     */
    void onAccountIq(String namespace, IqHandler handler);

    /** The node's HTTP listener, to mount handlers on (console, API, metrics). */
    org.skerry.server.http.HttpRoutes http();

    <T> void on(EventType<T> type, int priority, EventHandler<T> handler);

    /**
     * Serves the control-socket requests whose first word is {@code word} (the CLI's {@code skerry WORD ...} while
     * the node runs). One handler per word; a second registration is a programming error.
     */
    void onControlCommand(String word, ControlCommand command);
}
