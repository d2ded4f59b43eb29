package org.skerry.interop.federation;

import org.jivesoftware.smack.tcp.XMPPTCPConnection;

/** Another XMPP server (Prosody, ejabberd) that a test started on its own loopback address. */
interface ForeignServer extends AutoCloseable {
    String domain();

    /** Where Skerry's {@code federation.hosts} should send this domain's s2s traffic. */
    String s2sAddress();

    /** Logs a Smack client in to this server; the caller disconnects. */
    XMPPTCPConnection login(String user, String password, String resource);

    /** The end of the server's own log, for failure messages. */
    String logTail();
}
