package org.skerry.interop.console;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A hostile "server" for {@value #DOMAIN}: it answers every stream a node opens to it with a stream error whose
 * text is markup, so that the node's last error for that peer (which the console shows) carries text a peer chose.
 */
final class MarkupPeer implements AutoCloseable {
    static final String DOMAIN = "evil.test";
    /** What the peer says, as it arrives at the node: script and an attribute break-out. */
    static final String TEXT = "<script>alert('peer')</script>\"><img src=x onerror=alert(1)>";

    private final ServerSocket server;
    private final Thread acceptor;

    MarkupPeer() throws IOException {
        server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::serve, "markup-peer");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The --set line that routes {@value #DOMAIN} to this peer. */
    String hostsEntry() { return "federation.hosts." + DOMAIN + "=127.0.0.1:" + server.getLocalPort(); }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                socket.setSoTimeout(5000);
                awaitStreamHeader(socket.getInputStream());
                socket.getOutputStream().write(("<?xml version='1.0'?><stream:stream xmlns='jabber:server'"
                        + " xmlns:stream='http://etherx.jabber.org/streams' id='markup' from='" + DOMAIN + "'"
                        + " version='1.0'><stream:error><undefined-condition"
                        + " xmlns='urn:ietf:params:xml:ns:xmpp-streams'/><text"
                        + " xmlns='urn:ietf:params:xml:ns:xmpp-streams'>" + escaped(TEXT) + "</text></stream:error>"
                        + "</stream:stream>").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // This connection ended early, or close() closed the server socket: the loop tells which.
            }
        }
    }

    /** Reads until the node's stream header is complete. */
    private static void awaitStreamHeader(InputStream in) throws IOException {
        StringBuilder received = new StringBuilder();
        byte[] buffer = new byte[4096];
        while (true) {
            int start = received.indexOf("<stream:stream");
            if (start >= 0 && received.indexOf(">", start) > 0) {
                return;
            }
            int read = in.read(buffer);
            if (read < 0) {
                throw new IOException("closed before the stream header");
            }
            received.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
        }
    }

    private static String escaped(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&apos;");
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
