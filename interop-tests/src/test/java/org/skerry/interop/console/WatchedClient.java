package org.skerry.interop.console;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.jivesoftware.smack.ConnectionListener;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.StreamError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.skerry.interop.SmackClients;
import org.skerry.interop.TestNode;

/** A logged-in Smack client that remembers the stream error its connection was closed with. */
final class WatchedClient implements AutoCloseable {
    private final XMPPTCPConnection connection;
    private final AtomicReference<Exception> closedWith = new AtomicReference<>();

    WatchedClient(TestNode node, String user, String password, String resource) {
        connection = SmackClients.login(node, user, password, resource);
        connection.addConnectionListener(new ConnectionListener() {
            @Override public void connectionClosedOnError(Exception e) { closedWith.set(e); }
        });
    }

    XMPPTCPConnection connection() { return connection; }

    /** Waits for the server to end the stream and returns its stream error. */
    StreamError awaitStreamError() {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> closedWith.get() != null);
        if (!(closedWith.get() instanceof XMPPException.StreamErrorException e)) {
            throw new AssertionError("closed without a stream error", closedWith.get());
        }
        return e.getStreamError();
    }

    boolean closedByServer() { return closedWith.get() != null; }

    @Override
    public void close() {
        if (connection.isConnected()) {
            connection.disconnect();
        }
    }
}
