package org.skerry.interop.console;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.skerry.interop.SmackClients;
import org.skerry.interop.TestNode;
import org.skerry.server.xmpp.Jid;

/**
 * Two real nodes federating over loopback with dialback over TLS (self-signed certificates): {@value #A}, whose
 * console the test drives, and its peer {@value #B}. Each knows the other through federation.hosts (no DNS); each
 * has an account "user" with the password "secret-DOMAIN".
 */
final class FederatedConsoleNodes implements AutoCloseable {
    static final String A = "a.test";
    static final String B = "b.test";

    private final Map<String, Integer> s2sPorts = Map.of(A, TestNode.freePort(), B, TestNode.freePort());
    private final TestNode a;
    private TestNode b;
    private boolean peerRunning;

    /** @param settingsOfA further --set strings for {@value #A}, e.g. a long retry backoff or a blocked domain */
    private FederatedConsoleNodes(String... settingsOfA) {
        List<String> sets = settings(A);
        sets.add("http.bind=\"127.0.0.1:" + TestNode.freePort() + "\"");
        sets.addAll(List.of(settingsOfA));
        a = TestNode.startServing(A, sets.toArray(String[]::new));
        try {
            a.node().accounts().changePassword(admin(), ConsoleNode.ADMIN_PASSWORD);
            a.createUser("user", "secret-" + A);
            b = TestNode.startServing(B, settings(B).toArray(String[]::new));
            peerRunning = true;
            b.createUser("user", "secret-" + B);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    static FederatedConsoleNodes start(String... settingsOfA) { return new FederatedConsoleNodes(settingsOfA); }

    private List<String> settings(String domain) {
        List<String> sets = new ArrayList<>(List.of("federation.enabled=true", "federation.bind=\"127.0.0.1\"",
                "federation.port=" + s2sPorts.get(domain), "federation.direct_tls_port=0", "federation.dns=false",
                "federation.auth=\"dialback\""));
        s2sPorts.forEach((peer, port) -> {
            if (!peer.equals(domain)) {
                sets.add("federation.hosts." + peer + "=127.0.0.1:" + port);
            }
        });
        return sets;
    }

    TestNode a() { return a; }

    TestNode b() { return b; }

    URI base() { return URI.create("http://127.0.0.1:" + a.node().httpPort()); }

    Jid admin() { return Jid.of("admin", A); }

    /** A console client of {@value #A}, signed in as its admin. */
    ConsoleClient signedIn() {
        ConsoleClient client = new ConsoleClient(base());
        client.signIn(admin().toString(), ConsoleNode.ADMIN_PASSWORD);
        return client;
    }

    /** Stops {@value #B}, as its admin would. */
    void stopPeer() {
        b.close();
        peerRunning = false;
    }

    /** Starts {@value #B} again on its ports and data. */
    void startPeerAgain() {
        b = b.startAgain();
        peerRunning = true;
    }

    static XMPPTCPConnection login(TestNode node) {
        return SmackClients.login(node, "user", "secret-" + node.domain(), "phone");
    }

    @Override
    public void close() {
        if (b != null && peerRunning) {
            b.close();
        }
        a.close();
    }
}
