package org.skerry.interop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.skerry.server.Node;
import org.skerry.server.config.ConfigException;
import org.skerry.server.config.SkerryConfig;
import org.skerry.server.xmpp.Jid;

/**
 * A real node for a test: its own data directory (a real H2 file), free loopback ports, a real self-signed
 * certificate. Clients trust exactly that certificate, so TLS is verified for real.
 */
public final class TestNode implements AutoCloseable {
    public static final String DOMAIN = "skerry.test";

    private final Node node;
    private final String domain;
    private final Path dataDir;
    private final List<String> sets;

    private TestNode(Node node, String domain, Path dataDir, List<String> sets) {
        this.node = node;
        this.domain = domain;
        this.dataDir = dataDir;
        this.sets = sets;
    }

    /** Starts a node; {@code overrides} are extra --set strings. */
    public static TestNode start(String... overrides) {
        try {
            Path dir = Files.createTempDirectory("skerry-node");
            return start(dir, List.of(overrides));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static TestNode start(Path dataDir, List<String> overrides) {
        return start(DOMAIN, dataDir, overrides);
    }

    /** Starts a node that serves {@code domain} instead of {@link #DOMAIN}, for federation between nodes. */
    public static TestNode startServing(String domain, String... overrides) {
        try {
            return start(domain, Files.createTempDirectory("skerry-node"), List.of(overrides));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TestNode start(String domain, Path dataDir, List<String> overrides) {
        List<String> sets = new ArrayList<>();
        sets.add("domains=[\"" + domain + "\"]");
        sets.add("admins=[\"admin@" + domain + "\"]");
        sets.add("data_dir=\"" + dataDir + "\"");
        sets.add("c2s.bind=\"127.0.0.1\"");
        sets.add("c2s.port=" + freePort());
        sets.add("c2s.direct_tls_port=" + freePort());
        sets.add("auth.scram_iterations=4096");
        sets.add("federation.enabled=false");
        sets.add("federation.dns=false"); // tests never ask real DNS servers, even when they enable federation
        sets.add("http.bind=\"127.0.0.1:0\"");
        sets.addAll(overrides);
        try {
            return new TestNode(Node.start(SkerryConfig.load(null, sets, Map.of())), domain, dataDir, sets);
        } catch (ConfigException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Stops and starts the node again on the same data directory and ports. */
    public TestNode restart() {
        node.close();
        return startAgain();
    }

    /** Starts the node again on the same data directory and ports, after {@link #close()}. */
    public TestNode startAgain() {
        try {
            return new TestNode(Node.start(SkerryConfig.load(null, sets, Map.of())), domain, dataDir, sets);
        } catch (ConfigException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    public Node node() { return node; }

    /** The domain this node serves. */
    public String domain() { return domain; }

    public Path dataDir() { return dataDir; }

    public int port() { return node.c2sPort(); }

    public int directTlsPort() { return node.c2sDirectTlsPort(); }

    /** Creates an account through the node's own account service (as the CLI would). */
    public Jid createUser(String local, String password) {
        Jid jid = Jid.of(local, domain);
        if (!node.accounts().create(jid, password)) {
            throw new IllegalStateException(jid + " exists");
        }
        return jid;
    }

    /** An SSL context that trusts this node's certificate and nothing else. */
    public SSLContext clientSslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager()}, null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A trust manager that accepts this node's certificate and nothing else. */
    public X509TrustManager trustManager() {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("node", node.tls().certificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            return (X509TrustManager) tmf.getTrustManagers()[0];
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() { node.close(); }

    /** A loopback port for a listener that must be known before it starts; see {@link TestPorts}. */
    public static int freePort() { return TestPorts.next(); }
}
