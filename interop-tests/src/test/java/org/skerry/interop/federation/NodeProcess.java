package org.skerry.interop.federation;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * One node run from the distribution jar as a child JVM, so that it can really be killed with SIGKILL
 * ({@link Process#destroyForcibly()} on the JVM's own pid, no shell in between) and started again on the same data
 * directory. Its output is appended to a log file that survives restarts.
 */
final class NodeProcess implements AutoCloseable {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    /** Three nodes and the test share two cores: small heaps and the serial collector keep them out of each other's way. */
    private static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC");

    private final Path jar;
    private final String domain;
    private final Path dataDir;
    private final int c2sPort;
    private final List<String> settings;
    private final Path log;
    private Process process;

    private NodeProcess(Path jar, String domain, Path dataDir, int c2sPort, List<String> settings, Path log) {
        this.jar = jar;
        this.domain = domain;
        this.dataDir = dataDir;
        this.c2sPort = c2sPort;
        this.settings = settings;
        this.log = log;
    }

    /**
     * A node serving {@code domain} from {@code dataDir}, clients on a free loopback port with STARTTLS; {@code
     * extraSettings} are {@code key=value} overrides. Not started yet.
     */
    static NodeProcess configure(String domain, Path dataDir, Path log, List<String> extraSettings) {
        int c2sPort = org.skerry.interop.TestNode.freePort();
        List<String> keyValues = new ArrayList<>(List.of(
                "data_dir=\"" + dataDir + "\"",
                "domains=[\"" + domain + "\"]",
                "admins=[]",
                "c2s.bind=\"127.0.0.1\"",
                "c2s.port=" + c2sPort,
                "c2s.direct_tls_port=0",
                "auth.scram_iterations=4096",
                "http.bind=\"127.0.0.1:0\""));
        keyValues.addAll(extraSettings);
        List<String> settings = new ArrayList<>();
        for (String keyValue : keyValues) {
            settings.add("--set");
            settings.add(keyValue);
        }
        return new NodeProcess(distributionJar(), domain, dataDir, c2sPort, settings, log);
    }

    /** The jar built by the distribution module; this module's tests only run it. */
    private static Path distributionJar() {
        Path jar = Path.of("").toAbsolutePath().resolve("../distribution/target/skerry.jar").normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("The node's jar " + jar + " is missing. Build it first: "
                    + "`mvn -pl distribution -am package -DskipTests`.");
        }
        return jar;
    }

    String domain() { return domain; }

    int c2sPort() { return c2sPort; }

    /** {@code skerry user add USER@DOMAIN --password-stdin}, while the node is stopped. */
    void addAccount(String user, String password) {
        Process adding = launch(List.of("user", "add", user + "@" + domain, "--password-stdin"));
        try {
            try (OutputStream stdin = adding.getOutputStream()) {
                stdin.write((password + "\n").getBytes(StandardCharsets.UTF_8));
            }
            if (!adding.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                adding.destroyForcibly();
                throw new IllegalStateException("`skerry user add` for " + user + " hung; see " + log);
            }
            if (adding.exitValue() != 0) {
                throw new IllegalStateException("`skerry user add` for " + user + " exited with " + adding.exitValue()
                        + "; see " + log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code skerry start}; returns once clients can connect (the s2s listeners are bound before that). */
    void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(domain + " is already running");
        }
        if (accepts()) {
            throw new IllegalStateException("Something else already listens on port " + c2sPort);
        }
        process = launch(List.of("start"));
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (!accepts()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(domain + " exited with " + process.exitValue() + " while starting; see "
                        + log);
            }
            if (Instant.now().isAfter(deadline)) {
                kill();
                throw new IllegalStateException(domain + " did not listen within " + START_TIMEOUT + "; see " + log);
            }
            pause(Duration.ofMillis(100));
        }
    }

    /** SIGKILL: no shutdown hook runs, sockets are torn down by the kernel, storage is left as it was. */
    void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        awaitExit(STOP_TIMEOUT);
    }

    /** SIGTERM: the shutdown hook closes links and storage, as when an operator stops the node. */
    void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!awaitExit(STOP_TIMEOUT)) {
            kill();
            throw new IllegalStateException(domain + " did not stop within " + STOP_TIMEOUT + " after SIGTERM");
        }
    }

    /** The exit status of the last run: 137 after {@link #kill()} (128 + SIGKILL). */
    int exitValue() { return process.exitValue(); }

    /** A trust manager for exactly this node's self-signed certificate, which its first start wrote. */
    X509TrustManager trustManager() {
        Path pem = dataDir.resolve("tls/selfsigned.pem");
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("node-" + i++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            return (X509TrustManager) factory.getTrustManagers()[0];
        } catch (Exception e) {
            throw new IllegalStateException("Cannot trust " + pem + ": " + e, e);
        }
    }

    /** Never leaves a node behind: killed, because a test that ends here has already failed or finished. */
    @Override
    public void close() { kill(); }

    private Process launch(List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(arguments);
        command.addAll(settings);
        try {
            return new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), c2sPort), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
