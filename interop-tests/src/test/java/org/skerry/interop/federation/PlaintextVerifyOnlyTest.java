package org.skerry.interop.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.skerry.server.xml.Element;

/**
 * Before TLS, a stream to Skerry may only ask dialback verification questions (XEP-0220 §2.4): a key we issued is
 * confirmed or denied, and every other element (a dialback request, a stanza) still ends the stream with
 * not-authorized. This is what lets servers that verify before TLS (Vysper) reach us, without opening anything else.
 */
class PlaintextVerifyOnlyTest {
    private static FederatedNodes nodes;

    @BeforeAll
    static void start() {
        nodes = FederatedNodes.start(List.of("a.test", "b.test"), "federation.auth=\"dialback\"");
    }

    @AfterAll
    static void stop() { nodes.close(); }

    @Test
    void aVerificationQuestionIsAnsweredInTheClear() throws Exception {
        try (RawS2sPeer peer = new RawS2sPeer(nodes.node("a.test"), nodes.s2sPort("a.test"))) {
            peer.openStream("b.test");
            // b.test asks a.test (the authoritative server) whether a key for stream "s-1" is a.test's.
            String key = NodeDialbackKeys.of(nodes.node("a.test"), "b.test", "a.test", "s-1");
            peer.send("<db:verify from='b.test' to='a.test' id='s-1'>" + key + "</db:verify>");
            Element valid = peer.next();
            assertThat(valid.name()).isEqualTo("verify");
            assertThat(valid.attr("type")).isEqualTo("valid");

            peer.send("<db:verify from='b.test' to='a.test' id='s-2'>" + key + "</db:verify>");
            assertThat(peer.next().attr("type")).as("a key for another stream").isEqualTo("invalid");
        }
    }

    @Test
    void nothingButVerificationIsAcceptedWithoutTls() throws Exception {
        try (RawS2sPeer peer = new RawS2sPeer(nodes.node("a.test"), nodes.s2sPort("a.test"))) {
            peer.openStream("b.test");
            peer.send("<db:result from='b.test' to='a.test'>"
                    + NodeDialbackKeys.of(nodes.node("b.test"), "a.test", "b.test", peer.streamId()) + "</db:result>");
            assertThat(peer.awaitStreamErrorAndClose()).isEqualTo("not-authorized");
        }
        try (RawS2sPeer peer = new RawS2sPeer(nodes.node("a.test"), nodes.s2sPort("a.test"))) {
            peer.openStream("b.test");
            peer.send("<message xmlns='jabber:server' from='bob@b.test' to='alice@a.test'><body>x</body></message>");
            assertThat(peer.awaitStreamErrorAndClose()).isEqualTo("not-authorized");
        }
    }
}
