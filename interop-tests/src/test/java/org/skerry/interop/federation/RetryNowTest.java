package org.skerry.interop.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.skerry.interop.federation.PeerBlockingTest.login;
import static org.skerry.interop.SmackClients.messagesTo;
import static org.skerry.interop.SmackClients.send;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.skerry.distribution.Main;
import org.skerry.federation.FederationModule;
import org.skerry.federation.admin.PeerReport;

/**
 * {@code skerry federation retry b.test}, run as a.test's admin would while a.test runs: a message for b.test waits
 * out a backoff of minutes while b.test is down; b.test comes back without saying so (nothing of it reaches a.test);
 * the retry delivers the message at once and says so.
 */
class RetryNowTest {
    private static final String A = "a.test";
    private static final String B = "b.test";

    private FederatedNodes nodes;

    @AfterEach
    void stop() {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void retryNowDeliversToAPeerThatCameBackWithoutWaitingForTheBackoff() throws Exception {
        nodes = FederatedNodes.start(List.of(A, B), domain -> domain.equals(A)
                ? List.of("federation.retry_initial=\"5m\"", "federation.retry_max=\"5m\"") : List.of(),
                "federation.auth=\"dialback\"");
        nodes.node(A).createUser("user", "secret-" + A);
        nodes.node(B).createUser("user", "secret-" + B);
        nodes.stop(B);
        XMPPTCPConnection alice = login(nodes, A);
        send(alice, "user@" + B, "held by the backoff");
        alice.disconnect();
        await().atMost(Duration.ofSeconds(20)).until(() -> peerB().nextRetry() != null);
        assertThat(peerB().nextRetry()).as("the backoff").isAfter(Instant.now().plus(Duration.ofMinutes(2)));

        nodes.startAgain(B);
        XMPPTCPConnection bob = login(nodes, B);
        try {
            BlockingQueue<Message> atBob = messagesTo(bob);
            assertThat(atBob.poll(2, TimeUnit.SECONDS)).as("nothing but the retry brings it").isNull();

            FederationCli.Result retry = federation("retry", B);

            assertThat(retry.exitCode()).as(retry.out()).isEqualTo(Main.OK);
            assertThat(retry.out()).contains("Delivered 1 stanza to b.test; its queue is empty.");
            Message arrived = atBob.poll(10, TimeUnit.SECONDS);
            assertThat(arrived).as("delivered by the retry").isNotNull();
            assertThat(arrived.getBody()).isEqualTo("held by the backoff");
            assertThat(peerB().queued()).isZero();
            assertThat(peerB().nextRetry()).isNull();

            FederationCli.Result peers = federation("peers");
            assertThat(peers.exitCode()).isEqualTo(Main.OK);
            assertThat(peers.out().lines().filter(line -> line.startsWith("b.test ")))
                    .anySatisfy(line -> assertThat(line).contains("allowed", "bidi", "ready", "dialback", "TLSv1."));
        } finally {
            bob.disconnect();
        }
    }

    @Test
    void retryNowOfAPeerStillDownFailsAndSaysWhyAndWhen() throws Exception {
        nodes = FederatedNodes.start(List.of(A, B), domain -> domain.equals(A)
                ? List.of("federation.retry_initial=\"5m\"", "federation.retry_max=\"5m\"") : List.of(),
                "federation.auth=\"dialback\"");
        nodes.node(A).createUser("user", "secret-" + A);
        nodes.stop(B);
        XMPPTCPConnection alice = login(nodes, A);
        send(alice, "user@" + B, "still nowhere to go");
        alice.disconnect();
        await().atMost(Duration.ofSeconds(20)).until(() -> peerB().nextRetry() != null);

        FederationCli.Result retry = federation("retry", B);

        assertThat(retry.exitCode()).isEqualTo(Main.FAILURE);
        assertThat(retry.err()).containsPattern("Could not deliver to b\\.test: cannot connect to b\\.test: .+\\. 1 stanza"
                + " stays queued; the next attempt is in \\d+m\\d\\ds\\.");
        assertThat(peerB().queued()).isEqualTo(1);
    }

    // ---------------------------------------------------------------- helpers

    private PeerReport peerB() {
        return nodes.node(A).node().module(FederationModule.class).orElseThrow().admin().orElseThrow().peers().stream()
                .filter(peer -> peer.domain().equals(B)).findFirst().orElseThrow();
    }

    /** {@code skerry federation WORDS... --set data_dir=A's}, in-process, as a.test's admin. */
    private FederationCli.Result federation(String... words) {
        List<String> args = new java.util.ArrayList<>(List.of("federation"));
        args.addAll(List.of(words));
        args.addAll(List.of("--set", "data_dir=\"" + nodes.node(A).dataDir() + "\""));
        return FederationCli.run(args.toArray(String[]::new));
    }
}
