package org.skerry.interop.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.skerry.federation.link.LoopbackDnsServer;
import org.skerry.distribution.Main;
import org.skerry.interop.TestNode;

/**
 * {@code skerry federation check DOMAIN}, run in-process as a.test (certificate from a test CA) against: a live
 * peer with a certificate from the same CA (every step ok, SASL EXTERNAL accepted), a live peer with a self-signed
 * certificate (refused under strict auth), a port where nothing listens, and a domain with no known server.
 */
class FederationCheckCommandTest {
    /** A report line: step, ok/failed, detail. Node log lines share standard output and do not match. */
    private static final Pattern STEP = Pattern.compile("^(resolution|tcp|tls|certificate|names|expiry|auth|round-trip)"
            + " +(ok|failed) +(.*)$");

    static Path dir;
    static TestCertificateAuthority.PemPair ours;
    static Path caFile;
    static TestNode trustedPeer;
    static TestNode selfSignedPeer;
    static int trustedPort;
    static int selfSignedPort;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("skerry-check");
        TestCertificateAuthority ca = TestCertificateAuthority.create("Skerry test CA");
        caFile = ca.writeCertificate(dir);
        ours = ca.issue("a.test", dir);
        trustedPort = TestNode.freePort();
        List<String> trusted = new ArrayList<>(peerSettings(trustedPort));
        trusted.addAll(List.of(ca.issue("b.test", dir).settings()));
        trustedPeer = TestNode.startServing("b.test", trusted.toArray(new String[0]));
        selfSignedPort = TestNode.freePort();
        selfSignedPeer = TestNode.startServing("self.test", peerSettings(selfSignedPort).toArray(new String[0]));
    }

    private static List<String> peerSettings(int port) {
        return List.of("federation.enabled=true", "federation.bind=\"127.0.0.1\"", "federation.port=" + port,
                "federation.direct_tls_port=0", "federation.auth=\"strict\"",
                "federation.trust_anchors=[\"" + caFile + "\"]");
    }

    @AfterAll
    static void stop() {
        trustedPeer.close();
        selfSignedPeer.close();
    }

    @Test
    void aLivePeerWithATrustedCertificatePassesEveryStep() {
        Report report = check("b.test", "federation.hosts.b.test=127.0.0.1:" + trustedPort);

        assertThat(report.exitCode()).as(report.out()).isEqualTo(Main.OK);
        assertThat(report.steps().keySet()).containsExactly("resolution", "tcp", "tls", "certificate", "names",
                "expiry", "auth", "round-trip");
        assertThat(report.steps().values()).allMatch(line -> line.startsWith("ok "));
        assertThat(report.steps().get("resolution"))
                .contains("federation.hosts: b.test = 127.0.0.1:" + trustedPort, "DNS not consulted");
        assertThat(report.steps().get("tcp")).contains("connected to 127.0.0.1:" + trustedPort);
        assertThat(report.steps().get("tls")).matches("ok TLSv1\\.3, TLS_\\S+ \\(STARTTLS\\)");
        assertThat(report.steps().get("certificate")).contains("trusted", "CN=Skerry test CA");
        assertThat(report.steps().get("names")).contains("b.test is named", "dNSName [b.test]");
        assertThat(report.steps().get("expiry")).contains("valid until");
        assertThat(report.steps().get("auth")).isEqualTo("ok SASL EXTERNAL: the peer accepted our certificate for a.test");
        assertThat(report.steps().get("round-trip")).containsPattern("stream features answered in \\d+ ms");
    }

    @Test
    void aPeerWithASelfSignedCertificateFailsTheChainStepUnderStrictAuth() {
        Report report = check("self.test", "federation.hosts.self.test=127.0.0.1:" + selfSignedPort);

        assertThat(report.exitCode()).as(report.out()).isEqualTo(Main.FAILURE);
        assertThat(report.steps().get("tls")).startsWith("ok TLSv1.3");
        assertThat(report.steps().get("certificate")).startsWith("failed not trusted: ")
                .contains("federation.auth = \"strict\"", "federation.trust_anchors");
        assertThat(report.steps()).doesNotContainKey("auth");
    }

    @Test
    void aDeadPeerFailsAtTheTcpStep() {
        int nobody = TestNode.freePort();
        Report report = check("dead.test", "federation.hosts.dead.test=127.0.0.1:" + nobody);

        assertThat(report.exitCode()).as(report.out()).isEqualTo(Main.FAILURE);
        assertThat(report.steps().keySet()).containsExactly("resolution", "tcp");
        assertThat(report.steps().get("resolution")).startsWith("ok federation.hosts: dead.test = 127.0.0.1:" + nobody);
        assertThat(report.steps().get("tcp"))
                .isEqualTo("failed cannot connect to 127.0.0.1:" + nobody + ": Connection refused");
    }

    @Test
    void aDomainWithoutAStaticRouteFailsResolutionAndSaysDnsIsMissing() {
        Report report = check("unknown.test");

        assertThat(report.exitCode()).as(report.out()).isEqualTo(Main.FAILURE);
        assertThat(report.steps()).containsExactly(Map.entry("resolution",
                "failed no federation.hosts entry for unknown.test, and DNS is off (federation.dns = false)"));
    }

    @Test
    void withoutAStaticEntryThePeerIsFoundInDns() throws Exception {
        // The test's own DNS server on loopback is the only one asked (federation.dns_servers).
        try (LoopbackDnsServer dns = new LoopbackDnsServer()
                .srv("_xmpp-server._tcp.b.test", 0, 0, trustedPort, "xmpp.b.test")
                .a("xmpp.b.test", "127.0.0.1")) {
            Report report = check("b.test", "federation.dns=true",
                    "federation.dns_servers=[\"127.0.0.1:" + dns.address().getPort() + "\"]");

            assertThat(report.exitCode()).as(report.out()).isEqualTo(Main.OK);
            assertThat(report.steps().get("resolution"))
                    .isEqualTo("ok DNS: 127.0.0.1:" + trustedPort + "; checking 127.0.0.1:" + trustedPort + " (STARTTLS)");
        }
    }

    @Test
    void aMissingDomainOrAnUnknownActionIsAUsageError() {
        assertThat(run("federation", "check").exitCode()).isEqualTo(Main.USAGE);
        assertThat(run("federation", "probe", "b.test").exitCode()).isEqualTo(Main.USAGE);
    }

    private record Report(int exitCode, String out, Map<String, String> steps) {}

    /** Runs the check as a.test with our CA certificate and trust anchor, plus {@code extra} settings. */
    private static Report check(String domain, String... extra) {
        List<String> args = new ArrayList<>(List.of("federation", "check", domain,
                "--set", "domains=a.test", "--set", "admins=admin@a.test", "--set", "data_dir=" + dir.resolve("cli"),
                "--set", "tls.certificate=" + ours.certificate(), "--set", "tls.private_key=" + ours.privateKey(),
                "--set", "federation.trust_anchors=" + caFile, "--set", "federation.dns=false"));
        for (String setting : extra) {
            args.addAll(List.of("--set", setting));
        }
        return run(args.toArray(new String[0]));
    }

    /** Main.run in-process with standard output captured and its report lines picked out. */
    private static Report run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = Main.run(args);
        } finally {
            System.setOut(original);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        Map<String, String> steps = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            Matcher step = STEP.matcher(line.strip());
            if (step.matches()) {
                steps.put(step.group(1), step.group(2) + " " + step.group(3));
            }
        }
        return new Report(code, text, steps);
    }
}
