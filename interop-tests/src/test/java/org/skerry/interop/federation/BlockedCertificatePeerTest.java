package org.skerry.interop.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.skerry.federation.FederationModule;
import org.skerry.federation.link.LinkStatus;
import org.skerry.federation.link.LinkStatus.Direction;

/**
 * A blocked peer whose certificate is valid is still refused: with federation.auth = "strict" its only way in is
 * SASL EXTERNAL, and a.test ends that stream with policy-violation, so the message never arrives and bounces at
 * b.test after its queue_max_age.
 */
class BlockedCertificatePeerTest {
    static final List<String> DOMAINS = List.of("a.test", "b.test");
    static FederatedNodes nodes;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("skerry-ca");
        TestCertificateAuthority ca = TestCertificateAuthority.create("Skerry test CA");
        Map<String, TestCertificateAuthority.PemPair> certificates = new HashMap<>();
        for (String domain : DOMAINS) {
            certificates.put(domain, ca.issue(domain, dir));
        }
        nodes = FederatedNodes.start(DOMAINS, domain -> {
                    List<String> own = new ArrayList<>(List.of(certificates.get(domain).settings()));
                    own.add(domain.equals("a.test") ? "federation.blocked_domains=[\"b.test\"]"
                            : "federation.queue_max_age=\"3s\"");
                    return own;
                },
                "federation.auth=\"strict\"", "federation.trust_anchors=[\"" + ca.writeCertificate(dir) + "\"]");
    }

    @AfterAll
    static void stop() { nodes.close(); }

    @Test
    void aBlockedPeerWithAValidCertificateCannotAuthenticateWithSaslExternal() throws Exception {
        PeerBlockingTest.assertRefused(nodes, "b.test", "a.test");

        List<LinkStatus> fromB = nodes.node("b.test").node().module(FederationModule.class).orElseThrow().linkStatus();
        assertThat(fromB).anySatisfy(link -> {
            assertThat(link.direction()).isEqualTo(Direction.OUTBOUND);
            assertThat(link.peerDomain()).isEqualTo("a.test");
            assertThat(link.lastError()).contains("policy-violation");
        });
    }
}
