package org.skerry.sint;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The node under test, run from the shaded distribution jar in its own JVM: SINT brings Smack 4.5 and jxmpp
 * versions that must not meet the node's classes, and a separate process is what an admin runs anyway.
 */
final class SkerryProcess implements AutoCloseable {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path log;

    private SkerryProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** The jar built by the distribution module earlier in the reactor; this module never builds it. */
    static Path distributionJar(Path moduleDir) {
        Path jar = moduleDir.resolve("../../distribution/target/skerry.jar").normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("The node's jar " + jar + " is missing. Build it first: "
                    + "`mvn -pl distribution -am package -DskipTests` (a root `mvn verify` builds it before this module).");
        }
        return jar;
    }

    /** {@code skerry user add JID --password-stdin} on the stopped node; fails unless it exits with 0. */
    static void addAccount(Path jar, List<String> settings, String jid, String password, Path log) {
        List<String> command = javaCommand(jar, "user", "add", jid, "--password-stdin");
        command.addAll(settings);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write((password + "\n").getBytes(StandardCharsets.UTF_8));
            }
            if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("`skerry user add " + jid + "` did not finish within " + COMMAND_TIMEOUT
                        + "; see " + log);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("`skerry user add " + jid + "` exited with " + process.exitValue()
                        + ": " + Files.readString(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code skerry start} as a child process; returns once its client port accepts connections. */
    static SkerryProcess start(Path jar, List<String> settings, InetSocketAddress clientAddress, Path log) {
        if (accepts(clientAddress)) {
            throw new IllegalStateException("Something already listens on " + clientAddress
                    + " (a node left over from an earlier run?): SINT would test that instead of this build.");
        }
        List<String> command = javaCommand(jar, "start");
        command.addAll(settings);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SkerryProcess node = new SkerryProcess(process, log);
        try {
            node.awaitListening(clientAddress);
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
        return node;
    }

    private void awaitListening(InetSocketAddress clientAddress) {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (!accepts(clientAddress)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The node exited with " + process.exitValue() + " before listening on "
                        + clientAddress + "; its output is in " + log);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("The node did not listen on " + clientAddress + " within "
                        + START_TIMEOUT + "; its output is in " + log);
            }
            sleep(Duration.ofMillis(200));
        }
    }

    private static boolean accepts(InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            socket.connect(address, 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static List<String> javaCommand(Path jar, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(List.of(arguments));
        return command;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the node with SIGTERM (its shutdown hook closes the database), then forcibly if it hangs. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
