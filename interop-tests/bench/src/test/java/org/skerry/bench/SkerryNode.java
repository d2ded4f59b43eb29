package org.skerry.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Skerry node run from {@code distribution/target/skerry.jar} in its own JVM, as a bench run measures it: the
 * tool gets a real server pid for RSS, CPU and heap (jcmd). Settings open registration without a per-IP limit,
 * raise the per-session stanza rate and allow logins without TLS, as the bench configuration does.
 */
final class SkerryNode implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final int c2sPort;
    private final String domain;
    private final Path log;

    private SkerryNode(Process process, int c2sPort, String domain, Path log) {
        this.process = process;
        this.c2sPort = c2sPort;
        this.domain = domain;
        this.log = log;
    }

    /** Starts a node for {@code domain}; {@code extra} are more --set key=value settings. Returns at once. */
    static SkerryNode launch(String domain, int c2sPort, Path dir, List<String> extra) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-jar", distributionJar().toString(), "start"));
        List<String> settings = new ArrayList<>(List.of(
                "data_dir=\"" + dir.resolve("data") + "\"",
                "domains=[\"" + domain + "\"]",
                "admins=[]",
                "c2s.bind=\"127.0.0.1\"",
                "c2s.port=" + c2sPort,
                "c2s.direct_tls_port=0",
                "c2s.require_tls=false",
                "c2s.allow_registration=true",
                "c2s.registration_limit=100000",
                "c2s.stanza_rate=10000",
                "c2s.stanza_burst=10000",
                "auth.scram_iterations=4096",
                "http.bind=\"127.0.0.1:0\""));
        settings.addAll(extra);
        for (String setting : settings) {
            command.add("--set");
            command.add(setting);
        }
        Path log = dir.resolve("node.log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return new SkerryNode(process, c2sPort, domain, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until clients can connect. */
    SkerryNode awaitListening() throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!accepts()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(domain + " exited with " + process.exitValue() + "; see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(domain + " did not listen within " + START_TIMEOUT + "; see " + log);
            }
            Thread.sleep(100);
        }
        return this;
    }

    int port() { return c2sPort; }

    String domain() { return domain; }

    long pid() { return process.pid(); }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", c2sPort), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Path distributionJar() {
        Path jar = Path.of("").toAbsolutePath().resolve("../../distribution/target/skerry.jar").normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("The node's jar " + jar + " is missing. Build it first: "
                    + "`mvn -pl distribution -am package -DskipTests` (a root `mvn verify` builds it before this module).");
        }
        return jar;
    }

    /** SIGTERM (the node closes its database), then SIGKILL if it hangs. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
