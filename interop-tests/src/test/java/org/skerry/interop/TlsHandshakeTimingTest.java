package org.skerry.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Namespaces;

/**
 * The TLS handshake is bounded by c2s.handshake_timeout like the rest of the way to authentication, not by a
 * shorter timer of its own: when thousands of clients reconnect at once their handshakes wait for the CPU, and a
 * slow one must still get in.
 */
class TlsHandshakeTimingTest {

    @Test
    void aHandshakeThatStartsElevenSecondsAfterProceedStillSucceeds() {
        try (TestNode node = TestNode.start("c2s.handshake_timeout=\"30s\"");
             RawXmppClient client = RawXmppClient.connect(node)) {
            client.openStream();
            Element features = client.startTls(Duration.ofSeconds(11));
            assertThat(features.child("mechanisms", Namespaces.SASL)).isNotNull();
        }
    }

    @Test
    void aHandshakeThatNeverStartsEndsWithTheStreamHandshakeTimeout() {
        try (TestNode node = TestNode.start("c2s.handshake_timeout=\"1s\"");
             RawXmppClient client = RawXmppClient.connect(node)) {
            client.openStream();
            client.send("<starttls xmlns='" + Namespaces.TLS + "'/>");
            assertThat(client.nextElement().is("proceed", Namespaces.TLS)).isTrue();
            long start = System.nanoTime();
            // The timeout's stream error cannot be written before TLS, so the node closes the socket after a grace
            // of 5 s; awaitEnd fails the test if the socket stays open.
            client.awaitEnd(Duration.ofSeconds(12));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(9));
        }
    }
}
