package org.skerry.interop.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.skerry.distribution.Main;
import org.skerry.federation.link.LoopbackDnsServer;
import org.skerry.interop.TestNode;

/**
 * {@code skerry federation check DOMAIN} as a.test (certificate from a test CA), against live Skerry peers: b.test
 * (certificate from the same CA, strict), self.test (self-signed, dialback only, does not trust the CA), blocking.test
 * (like b.test, but blocks a.test), a port where nothing listens, and a domain with no known server.
 *
 * <p>With a.test running (auth = "dialback"), the CLI goes through its control socket and the node authenticates and
 * pings: SASL EXTERNAL with b.test, dialback with self.test (which calls a.test back to verify the key). With no node
 * on the CLI's data_dir, the CLI checks up to the certificate under its own (strict) settings and skips the rest.
 */
class FederationCheckCommandTest {
    static Path dir;
    static TestCertificateAuthority.PemPair ours;
    static Path caFile;
    static TestNode ourNode;
    static TestNode trustedPeer;
    static TestNode selfSignedPeer;
    static TestNode blockingPeer;
    static int trustedPort;
    static int selfSignedPort;
    static int blockingPort;
    static int deadPort;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("skerry-check");
        TestCertificateAuthority ca = TestCertificateAuthority.create("Skerry test CA");
        caFile = ca.writeCertificate(dir);
        ours = ca.issue("a.test", dir);
        int ourPort = TestNode.freePort();
        trustedPort = TestNode.freePort();
        selfSignedPort = TestNode.freePort();
        blockingPort = TestNode.freePort();
        deadPort = TestNode.freePort();
        String backToUs = "federation.hosts.a.test=127.0.0.1:" + ourPort;
        String trustOurCa = "federation.trust_anchors=[\"" + caFile + "\"]";

        trustedPeer = TestNode.startServing("b.test",
                settings(trustedPort, "strict", ca.issue("b.test", dir).settings(), backToUs, trustOurCa));
        selfSignedPeer = TestNode.startServing("self.test", settings(selfSignedPort, "dialback", SELF_SIGNED, backToUs));
        blockingPeer = TestNode.startServing("blocking.test", settings(blockingPort, "strict",
                ca.issue("blocking.test", dir).settings(), backToUs, trustOurCa,
                "federation.blocked_domains=[\"a.test\"]"));
        ourNode = TestNode.startServing("a.test", settings(ourPort, "dialback", ours.settings(), trustOurCa,
                "federation.hosts.b.test=127.0.0.1:" + trustedPort,
                "federation.hosts.self.test=127.0.0.1:" + selfSignedPort,
                "federation.hosts.blocking.test=127.0.0.1:" + blockingPort,
                "federation.hosts.dead.test=127.0.0.1:" + deadPort));
    }

    /** No tls.certificate: the node generates a self-signed one. */
    private static final String[] SELF_SIGNED = {};

    private static String[] settings(int port, String auth, String[] certificate, String... more) {
        List<String> sets = new ArrayList<>(List.of("federation.enabled=true", "federation.bind=\"127.0.0.1\"",
                "federation.port=" + port, "federation.direct_tls_port=0", "federation.auth=\"" + auth + "\""));
        sets.addAll(List.of(certificate));
        sets.addAll(List.of(more));
        return sets.toArray(new String[0]);
    }

    @AfterAll
    static void stop() {
        for (TestNode node : new TestNode[] {ourNode, trustedPeer, selfSignedPeer, blockingPeer}) {
            if (node != null) {
                node.close();
            }
        }
    }

    // ---------------------------------------------------------------- through the running node

    @Test
    void throughTheRunningNodeAPeerThatTrustsOurCertificateTakesSaslExternalAndAnswersThePing() {
        FederationCli.Result report = checkThroughNode("b.test");

        assertThat(report.exitCode()).as(report.printed()).isEqualTo(Main.OK);
        assertThat(report.steps().keySet()).containsExactly("resolution", "tcp", "tls", "certificate", "names",
                "expiry", "auth", "ping");
        assertThat(report.steps().values()).allMatch(line -> line.startsWith("ok "));
        assertThat(report.steps().get("certificate")).contains("trusted", "CN=Skerry test CA");
        assertThat(report.steps().get("auth")).isEqualTo("ok SASL EXTERNAL: the peer accepted our certificate for a.test");
        assertThat(report.steps().get("ping")).matches("ok answered in \\d+ ms \\(XEP-0199 over our stream,"
                + " the answer over b.test's link to a.test\\)");
    }

    @Test
    void throughTheRunningNodeAPeerThatDoesNotTrustOurCertificateVerifiesOurDialbackKeyAndAnswersThePing() {
        FederationCli.Result report = checkThroughNode("self.test");

        assertThat(report.exitCode()).as(report.printed()).isEqualTo(Main.OK);
        assertThat(report.steps().get("certificate")).startsWith("ok not trusted").contains("usable only with dialback");
        assertThat(report.steps().get("auth")).matches("ok dialback: the peer verified our key with a.test in \\d+ ms");
        assertThat(report.steps().get("ping")).matches("ok answered in \\d+ ms .*");
    }

    @Test
    void throughTheRunningNodeAPeerThatBlocksUsFailsTheAuthStepWithItsError() {
        FederationCli.Result report = checkThroughNode("blocking.test");

        assertThat(report.exitCode()).as(report.printed()).isEqualTo(Main.FAILURE);
        assertThat(report.steps().get("expiry")).startsWith("ok ");
        assertThat(report.steps().get("auth")).isEqualTo("failed SASL EXTERNAL: the peer sent the stream error"
                + " policy-violation (This server does not federate with a.test)");
        assertThat(report.steps()).doesNotContainKey("ping");
    }

    @Test
    void throughTheRunningNodeADeadPeerFailsAtTheTcpStep() {
        FederationCli.Result report = checkThroughNode("dead.test");

        assertThat(report.exitCode()).as(report.printed()).isEqualTo(Main.FAILURE);
        assertThat(report.steps()).containsExactly(
                Map.entry("resolution", "ok federation.hosts: dead.test = 127.0.0.1:" + deadPort
                        + " (static override; DNS not consulted)"),
                Map.entry("tcp", "failed cannot connect to 127.0.0.1:" + deadPort + ": Connection refused"));
    }

    @Test
    void theCheckIsAMethodOfTheRunningNodeToo() {
        var steps = ourNode.node().module(org.skerry.federation.FederationModule.class).orElseThrow().check("b.test");

        assertThat(steps).extracting(step -> step.name() + " " + step.outcome()).containsExactly("resolution OK",
                "tcp OK", "tls OK", "certificate OK", "names OK", "expiry OK", "auth OK", "ping OK");
    }

    // ---------------------------------------------------------------- without a running node

    @Test
    void withoutTheNodeTheCheckStopsAfterTheCertificateAndSaysWhy() {
        FederationCli.Result report = checkWithoutNode("b.test", "federation.hosts.b.test=127.0.0.1:" + trustedPort);

        assertThat(report.exitCode()).as(report.printed()).isEqualTo(Main.OK);
        assertThat(report.steps().keySet()).containsExactly("resolution", "tcp", "tls", "certificate", "names",
                "expiry", "auth", "ping");
        assertThat(report.steps().get("resolution"))
                .contains("federation.hosts: b.test = 127.0.0.1:" + trustedPort, "DNS not consulted");
        assertThat(report.steps().get("tcp")).contains("connected to 127.0.0.1:" + trustedPort);
        assertThat(report.steps().get("tls")).matches("ok TLSv1\\.3, TLS_\\S+ \\(STARTTLS\\)");
        assertThat(report.steps().get("certificate")).contains("trusted", "CN=Skerry test CA");
        assertThat(report.steps().get("names")).contains("b.test is named", "dNSName [b.test]");
        assertThat(report.steps().get("expiry")).contains("valid until");
        assertThat(report.steps().get("auth")).startsWith("skipped the node is not running");
        assertThat(report.steps().get("ping")).startsWith("skipped the node is not running");
    }

    @Test
    void aPeerWithASelfSignedCertificateFailsTheChainStepUnderStrictAuth() {
        FederationCli.Result report = checkWithoutNode("self.test", "federation.hosts.self.test=127.0.0.1:" + selfSignedPort);

        assertThat(report.exitCode()).as(report.printed()).isEqualTo(Main.FAILURE);
        assertThat(report.steps().get("tls")).startsWith("ok TLSv1.3");
        assertThat(report.steps().get("certificate")).startsWith("failed not trusted: ")
                .contains("federation.auth = \"strict\"", "federation.trust_anchors");
        assertThat(report.steps()).doesNotContainKey("auth");
    }

    @Test
    void aDeadPeerFailsAtTheTcpStep() {
        int nobody = TestNode.freePort();
        FederationCli.Result report = checkWithoutNode("dead.test", "federation.hosts.dead.test=127.0.0.1:" + nobody);

        assertThat(report.exitCode()).as(report.printed()).isEqualTo(Main.FAILURE);
        assertThat(report.steps().keySet()).containsExactly("resolution", "tcp");
        assertThat(report.steps().get("resolution")).startsWith("ok federation.hosts: dead.test = 127.0.0.1:" + nobody);
        assertThat(report.steps().get("tcp"))
                .isEqualTo("failed cannot connect to 127.0.0.1:" + nobody + ": Connection refused");
    }

    @Test
    void aDomainWithoutAStaticRouteFailsResolutionAndSaysDnsIsMissing() {
        FederationCli.Result report = checkWithoutNode("unknown.test");

        assertThat(report.exitCode()).as(report.printed()).isEqualTo(Main.FAILURE);
        assertThat(report.steps()).containsExactly(Map.entry("resolution",
                "failed no federation.hosts entry for unknown.test, and DNS is off (federation.dns = false)"));
    }

    @Test
    void withoutAStaticEntryThePeerIsFoundInDns() throws Exception {
        // The test's own DNS server on loopback is the only one asked (federation.dns_servers).
        try (LoopbackDnsServer dns = new LoopbackDnsServer()
                .srv("_xmpp-server._tcp.b.test", 0, 0, trustedPort, "xmpp.b.test")
                .a("xmpp.b.test", "127.0.0.1")) {
            FederationCli.Result report = checkWithoutNode("b.test", "federation.dns=true",
                    "federation.dns_servers=[\"127.0.0.1:" + dns.address().getPort() + "\"]");

            assertThat(report.exitCode()).as(report.printed()).isEqualTo(Main.OK);
            assertThat(report.steps().get("resolution"))
                    .isEqualTo("ok DNS: 127.0.0.1:" + trustedPort + "; checking 127.0.0.1:" + trustedPort + " (STARTTLS)");
        }
    }

    @Test
    void aDomainThatDnsSaysDoesNotExistFailsResolutionWithThatReason() throws Exception {
        try (LoopbackDnsServer dns = new LoopbackDnsServer()) {
            FederationCli.Result report = checkWithoutNode("nowhere.test", "federation.dns=true",
                    "federation.dns_servers=[\"127.0.0.1:" + dns.address().getPort() + "\"]");

            assertThat(report.exitCode()).as(report.printed()).isEqualTo(Main.FAILURE);
            assertThat(report.steps()).containsExactly(Map.entry("resolution",
                    "failed DNS look-up for nowhere.test failed: DNS says nowhere.test does not exist (NXDOMAIN)"));
        }
    }

    @Test
    void aMissingOrMalformedDomainOrAnUnknownActionIsAUsageError() {
        assertThat(FederationCli.run("federation", "check").exitCode()).isEqualTo(Main.USAGE);
        assertThat(FederationCli.run("federation", "check", "user@b.test").exitCode()).isEqualTo(Main.USAGE);
        assertThat(FederationCli.run("federation", "probe", "b.test").exitCode()).isEqualTo(Main.USAGE);
    }

    /** The check run by the CLI as a.test on the running node's data_dir: the node runs it. */
    private static FederationCli.Result checkThroughNode(String domain) {
        return FederationCli.run("federation", "check", domain, "--set", "domains=a.test",
                "--set", "admins=admin@a.test", "--set", "data_dir=" + ourNode.dataDir());
    }

    /** The check run by the CLI itself as a.test (strict, our CA), with no node on its data_dir. */
    private static FederationCli.Result checkWithoutNode(String domain, String... extra) {
        List<String> args = new ArrayList<>(List.of("federation", "check", domain,
                "--set", "domains=a.test", "--set", "admins=admin@a.test", "--set", "data_dir=" + dir.resolve("cli"),
                "--set", "tls.certificate=" + ours.certificate(), "--set", "tls.private_key=" + ours.privateKey(),
                "--set", "federation.trust_anchors=" + caFile, "--set", "federation.dns=false"));
        for (String setting : extra) {
            args.addAll(List.of("--set", setting));
        }
        return FederationCli.run(args.toArray(new String[0]));
    }
}
