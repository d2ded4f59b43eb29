package org.skerry.interop.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.skerry.interop.HonestUsers;
import org.skerry.interop.RawXmppClient;
import org.skerry.interop.RawXmppClient.StreamEnd;
import org.skerry.interop.TestNode;

/**
 * A 4 MiB stanza from an authenticated client over TLS, against the default 256 KiB limit: the node answers
 * {@code <policy-violation/>} while the bytes are still streaming in (it never buffers the whole stanza) and
 * closes the stream.
 */
class OversizedStanzaTest {
    static final int STANZA_BYTES = 4 << 20;
    static TestNode node;

    @BeforeAll
    static void start() {
        node = TestNode.start();
        node.createUser("mallory", "mallory-secret");
        node.createUser("target", "target-secret");
    }

    @AfterAll
    static void stop() { node.close(); }

    @Test
    void fourMebibyteStanzaIsAPolicyViolation() throws Exception {
        HonestUsers honest = HonestUsers.prepare(node);
        try (RawXmppClient attacker = RawXmppClient.connect(node)) {
            attacker.login("mallory", "mallory-secret", "big");
            byte[] filler = new byte[64 << 10];
            Arrays.fill(filler, (byte) 'a');
            // The node closes the connection mid-stanza, so the write fails on its own thread, not the test's.
            attacker.send("<message to='target@" + TestNode.DOMAIN + "' type='chat'><body>");
            OutputStream output = attacker.output();
            Thread writer = new Thread(() -> {
                try {
                    for (int sent = 0; sent < STANZA_BYTES; sent += filler.length) {
                        output.write(filler);
                    }
                    output.write("</body></message>".getBytes(StandardCharsets.US_ASCII));
                    output.flush();
                } catch (IOException expected) {
                    // the node hung up on us: that is the point
                }
            }, "oversized-writer");
            long started = System.nanoTime();
            writer.start();
            StreamEnd end = attacker.awaitEnd(Duration.ofSeconds(20));
            Duration answeredIn = Duration.ofNanos(System.nanoTime() - started);
            writer.join(20_000);

            assertThat(end.condition()).as("raw answer: %s", end.raw()).isEqualTo("policy-violation");
            assertThat(end.closeTagEndsTheStream()).as("raw answer: %s", end.raw()).isTrue();
            // The node rejects at the limit instead of reading all 4 MiB into memory first; on loopback that
            // is a matter of milliseconds, so several seconds would mean it buffered or stalled.
            assertThat(answeredIn).isLessThan(Duration.ofSeconds(5));
        }
        honest.assertStillServed();
    }
}
