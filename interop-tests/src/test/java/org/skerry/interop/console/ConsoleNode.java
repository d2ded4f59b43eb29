package org.skerry.interop.console;

import java.net.URI;
import org.skerry.interop.TestNode;
import org.skerry.server.xmpp.Jid;

/** A test node with its HTTP listener on a free loopback port and a known admin password. */
public final class ConsoleNode implements AutoCloseable {
    public static final String ADMIN_PASSWORD = "console-admin-secret";

    private final TestNode node;

    private ConsoleNode(TestNode node) {
        this.node = node;
        node.node().accounts().changePassword(admin(), ADMIN_PASSWORD);
    }

    public static ConsoleNode start(String... overrides) {
        String[] sets = new String[overrides.length + 1];
        sets[0] = "http.bind=\"127.0.0.1:" + TestNode.freePort() + "\"";
        System.arraycopy(overrides, 0, sets, 1, overrides.length);
        return new ConsoleNode(TestNode.start(sets));
    }

    /** A node that serves {@code domain} instead of {@link TestNode#DOMAIN}, for federation between console nodes. */
    public static ConsoleNode startServing(String domain, String... overrides) {
        String[] sets = new String[overrides.length + 1];
        sets[0] = "http.bind=\"127.0.0.1:" + TestNode.freePort() + "\"";
        System.arraycopy(overrides, 0, sets, 1, overrides.length);
        return new ConsoleNode(TestNode.startServing(domain, sets));
    }

    public TestNode node() { return node; }

    public Jid admin() { return Jid.of("admin", node.domain()); }

    /** {@code http://} or, with {@code http.tls}, {@code https://} on the node's HTTP port. */
    public URI base() {
        return URI.create((node.node().config().http().tls() ? "https" : "http") + "://127.0.0.1:" + node.node().httpPort());
    }

    @Override
    public void close() { node.close(); }
}
