package org.skerry.interop.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.skerry.federation.FederationModule;
import org.skerry.federation.link.LinkStatus;
import org.skerry.federation.link.LinkStatus.Direction;
import org.skerry.federation.link.LinkStatus.State;

/**
 * Two nodes whose certificates a private CA issued, trusting that CA through federation.trust_anchors, federate
 * with federation.auth = "strict": the link authenticates with SASL EXTERNAL, with no dialback to fall back on, and
 * carries the reply too (XEP-0288), the receiving node sending as the domain its certificate proved in TLS.
 * The certificates carry serverAuth but not clientAuth, like the ones public CAs issue now.
 */
class CertificateFederationTest {
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
        nodes = FederatedNodes.start(DOMAINS, domain -> List.of(certificates.get(domain).settings()),
                "federation.auth=\"strict\"", "federation.trust_anchors=[\"" + ca.writeCertificate(dir) + "\"]");
    }

    @AfterAll
    static void stop() { nodes.close(); }

    @Test
    void usersChatAcrossOverLinksAuthenticatedWithSaslExternal() throws Exception {
        FederatedChatTest.chatBothWays(nodes, "a.test", "b.test");

        // The first message opened the one link, and the reply came back over it: one link on each side, which
        // acknowledges stanzas with stream management (enabled after the SASL restart).
        assertThat(links("a.test"))
                .extracting(LinkStatus::direction, LinkStatus::peerDomain, LinkStatus::state, LinkStatus::authMethod,
                        LinkStatus::streamManagement)
                .containsExactly(tuple(Direction.BIDIRECTIONAL, "b.test", State.READY, "SASL EXTERNAL", true));
        assertThat(links("b.test"))
                .extracting(LinkStatus::direction, LinkStatus::peerDomain, LinkStatus::state, LinkStatus::authMethod,
                        LinkStatus::streamManagement)
                .containsExactly(tuple(Direction.BIDIRECTIONAL, "a.test", State.READY, "SASL EXTERNAL", true));
        assertThat(links("a.test")).allSatisfy(link -> assertThat(link.tlsVersion()).isEqualTo("TLSv1.3"));
    }

    private static List<LinkStatus> links(String domain) {
        return nodes.node(domain).node().module(FederationModule.class).orElseThrow().linkStatus();
    }
}
