package org.skerry.sint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.FileHandler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Collectors;
import org.igniterealtime.smack.inttest.AbstractSmackIntTest;
import org.igniterealtime.smack.inttest.Configuration;
import org.jxmpp.stringprep.XmppStringprepException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the XMPP interop test suite (SINT) against a node started from the distribution jar, and fails when a
 * test of a feature the node implements fails (see {@link SintScope}). Everything it produces is under
 * target/sint: the node's output, SINT's log with full stack traces, and the summary printed here.
 *
 * <p>To chase a failure: {@code -Dskerry.sint.classes=RosterIntegrationTest,PingIntegrationTest} runs only those
 * classes, {@code -Dskerry.sint.logLevel=debug} raises the node's log level, and {@code -Dskerry.sint.debugger=console}
 * prints every stanza SINT's clients send and receive.
 */
class SintTest {
    private static final String DOMAIN = "sint.test";
    /** SINT has no port setting and always connects to 5222, so the node gets a loopback address of its own. */
    private static final String HOST = "127.0.0.77";
    private static final int CLIENT_PORT = 5222;
    private static final String ADMIN = "admin";

    /** Test classes never run here, and why. */
    private static final Map<String, String> DISABLED = Map.of(
            "FileTransferIntegrationTest",
            "its SOCKS5 bytestreams connect to the machine's non-loopback addresses, which tests must never do",
            "ModularXmppClientToServerConnectionLowLevelIntegrationTest",
            "the modular connection also loads the WebSocket transport, which looks the service up over DNS and HTTP");

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void nodePassesTheInteropSuiteForEveryFeatureItImplements() throws IOException {
        Path moduleDir = Path.of("").toAbsolutePath();
        Path jar = SkerryProcess.distributionJar(moduleDir);
        Path output = Files.createDirectories(moduleDir.resolve("target/sint"));
        Path dataDir = Files.createTempDirectory("skerry-sint");
        Path nodeLog = output.resolve("skerry-node.log");
        Files.deleteIfExists(nodeLog);
        logSintTo(output.resolve("sint.log"));

        String adminPassword = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        List<String> identity = settings(
                "data_dir=\"" + dataDir + "\"",
                "domains=[\"" + DOMAIN + "\"]",
                "admins=[\"" + ADMIN + "@" + DOMAIN + "\"]");
        SkerryProcess.addAccount(jar, identity, ADMIN + "@" + DOMAIN, adminPassword, nodeLog);

        List<String> nodeSettings = new ArrayList<>(identity);
        nodeSettings.addAll(settings(
                "c2s.bind=\"" + HOST + "\"",
                "c2s.port=" + CLIENT_PORT,
                "c2s.direct_tls_port=0",
                // SINT runs without TLS (securityMode=disabled): the node then still offers SCRAM only, never PLAIN.
                "c2s.require_tls=false",
                // SINT creates and deletes accounts for every test class, all from one address.
                "c2s.registration_limit=100000",
                // LoginIntegrationTest logs in with a wrong password on purpose; that must not ban 127.0.0.77's clients.
                "auth.max_failures_per_ip=100000",
                "auth.max_failures_per_account=100000",
                "federation.enabled=false",
                "http.bind=\"" + HOST + ":0\"",
                "log.level=\"" + System.getProperty("skerry.sint.logLevel", "info") + "\""));

        List<SintOutcome> outcomes = new ArrayList<>();
        try (SkerryProcess node = SkerryProcess.start(jar, nodeSettings, new InetSocketAddress(HOST, CLIENT_PORT), nodeLog)) {
            SintRunner runner = new SintRunner(() -> baseConfiguration(adminPassword));
            List<Class<? extends AbstractSmackIntTest>> testClasses = SintRunner.discoverTestClasses();
            assertThat(testClasses).as("SINT test classes on the class path").hasSizeGreaterThan(20);
            Set<String> selected = selectedClasses();
            for (Class<? extends AbstractSmackIntTest> testClass : testClasses) {
                if (!DISABLED.containsKey(testClass.getSimpleName())
                        && (selected.isEmpty() || selected.contains(testClass.getSimpleName()))) {
                    outcomes.addAll(runner.run(testClass));
                }
            }
        }

        String summary = summary(outcomes);
        System.out.println(summary);
        Files.writeString(output.resolve("summary.txt"), summary);

        List<SintOutcome> inScope = outcomes.stream().filter(SintOutcome::inScope).toList();
        assertThat(inScope).as("in-scope SINT results").anyMatch(o -> o.status() == SintOutcome.Status.PASSED);
        assertThat(inScope.stream().filter(o -> o.status() != SintOutcome.Status.PASSED).map(SintTest::line).toList())
                .as("in-scope SINT tests that failed or were impossible (details in target/sint)").isEmpty();
    }

    private static Configuration.Builder baseConfiguration(String adminPassword) {
        try {
            Configuration.Builder builder = Configuration.builder()
                    .setService(DOMAIN)
                    .setSecurityMode("disabled")
                    .setReplyTimeout("6000")
                    .setAdminAccountUsernameAndPassword(ADMIN, adminPassword)
                    // The default would also run low-level tests over modular and WebSocket connections.
                    .setEnabledConnections("tcp")
                    .setDebugger(System.getProperty("skerry.sint.debugger"));
            setHost(builder, HOST);
            return builder;
        } catch (XmppStringprepException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * SINT 4.5.0-beta5 reads the host only from its properties ({@code sinttest.host}): its builder's setter is
     * private. Without a host, Smack would look {@code sint.test} up in the DNS, which tests must never do.
     */
    private static void setHost(Configuration.Builder builder, String host) {
        try {
            Method setHost = Configuration.Builder.class.getDeclaredMethod("setHost", String.class);
            setHost.setAccessible(true);
            setHost.invoke(builder, host);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this SINT version has no Configuration.Builder.setHost(String)", e);
        }
    }

    private static Set<String> selectedClasses() {
        String classes = System.getProperty("skerry.sint.classes", "");
        return Arrays.stream(classes.split(",")).map(String::trim).filter(c -> !c.isEmpty()).collect(Collectors.toSet());
    }

    private static List<String> settings(String... keyValues) {
        List<String> arguments = new ArrayList<>();
        for (String keyValue : keyValues) {
            arguments.add("--set");
            arguments.add(keyValue);
        }
        return arguments;
    }

    /** SINT and Smack log through java.util.logging, one line per test and a stack trace per failure. */
    private static void logSintTo(Path file) throws IOException {
        LogManager.getLogManager().reset();
        FileHandler handler = new FileHandler(file.toString());
        handler.setFormatter(new SimpleFormatter());
        Logger root = Logger.getLogger("");
        root.addHandler(handler);
        root.setLevel(Level.INFO);
    }

    private static String summary(List<SintOutcome> outcomes) {
        StringBuilder sb = new StringBuilder("\n==== SINT against Skerry ====\n");
        for (boolean inScope : new boolean[] {true, false}) {
            List<SintOutcome> part = outcomes.stream().filter(o -> o.inScope() == inScope).toList();
            sb.append(inScope ? "In scope:     " : "Out of scope: ").append(counts(part)).append('\n');
        }
        sb.append("All:          ").append(counts(outcomes)).append('\n');
        DISABLED.forEach((test, why) -> sb.append("Disabled ").append(test).append(": ").append(why).append('\n'));
        for (boolean inScope : new boolean[] {true, false}) {
            List<SintOutcome> notPassed = outcomes.stream()
                    .filter(o -> o.inScope() == inScope && o.status() != SintOutcome.Status.PASSED).toList();
            if (!notPassed.isEmpty()) {
                sb.append(inScope ? "\nIN SCOPE, not passed:\n" : "\nOut of scope, not passed (reported only):\n");
                notPassed.forEach(o -> sb.append("  ").append(line(o)).append('\n'));
            }
        }
        sb.append("\nIn scope, passed:\n");
        outcomes.stream().filter(o -> o.inScope() && o.status() == SintOutcome.Status.PASSED)
                .forEach(o -> sb.append("  ").append(o.test()).append(" [").append(o.reference()).append("]\n"));
        String unclassified = outcomes.stream().map(SintOutcome::specification).filter(s -> !SintScope.isClassified(s))
                .distinct().sorted().collect(Collectors.joining(", "));
        if (!unclassified.isEmpty()) {
            sb.append("\nSpecifications not yet classified in SintScope (treated as in scope): ").append(unclassified).append('\n');
        }
        return sb.toString();
    }

    private static String counts(List<SintOutcome> outcomes) {
        return count(outcomes, SintOutcome.Status.PASSED) + " passed, " + count(outcomes, SintOutcome.Status.FAILED)
                + " failed, " + count(outcomes, SintOutcome.Status.IMPOSSIBLE) + " impossible (of " + outcomes.size() + ")";
    }

    private static long count(List<SintOutcome> outcomes, SintOutcome.Status status) {
        return outcomes.stream().filter(o -> o.status() == status).count();
    }

    private static String line(SintOutcome outcome) {
        return outcome.status() + " " + outcome.test() + " [" + outcome.reference() + "]: " + outcome.reason();
    }
}
