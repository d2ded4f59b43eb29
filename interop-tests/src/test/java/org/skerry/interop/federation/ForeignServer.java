package org.skerry.interop.federation;

import org.jivesoftware.smack.tcp.XMPPTCPConnection;

/** Another XMPP server (Prosody, ejabberd) that a test started on its own loopback address. */
interface ForeignServer extends AutoCloseable {
    String domain();

    /** Where Skerry's {@code federation.hosts} should send this domain's s2s traffic. */
    String s2sAddress();

    /**
     * A Smack client of this server over STARTTLS that trusts exactly its certificate, not connected yet, so that
     * listeners can be added before anything arrives.
     */
    XMPPTCPConnection connection(String user, String password, String resource);

    /** Logs a Smack client in to this server; the caller disconnects. */
    default XMPPTCPConnection login(String user, String password, String resource) {
        return ForeignServerProcesses.connectAndLogin(connection(user, password, resource));
    }

    /** The end of the server's own log, for failure messages. */
    String logTail();

    /**
     * SIGKILL to every process of the server, as in a crash: no goodbye on its streams, its data left as it was.
     * Returns once they are gone.
     */
    void kill() throws InterruptedException;

    /** Starts the server again after {@link #kill}, on the same configuration and data; returns once it listens. */
    void startAgain() throws Exception;
}
