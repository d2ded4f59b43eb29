package org.skerry.interop.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The outage drill of issue 3, with each node in its own JVM so that "kill -9" is a real SIGKILL: node B dies while
 * A and C keep talking, A and C queue 500 messages for B's users, A restarts too, B comes back, and every message
 * arrives exactly once and in order per sender. Then B stays away longer than federation.queue_max_age, and every
 * sender gets a bounce for every message instead, and nothing arrives late.
 */
class OutageDrillTest {
    private static final String A = "a.test";
    private static final String B = "b.test";
    private static final String C = "c.test";
    /** Each of the two senders sends this many to each of the two users on B: 500 in all. */
    private static final int PER_PAIR = 125;
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration ARRIVAL_TIMEOUT = Duration.ofSeconds(90);

    @Test
    @Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
    void everyMessageQueuedForAKilledNodeArrivesOnceAndInOrderWhenItReturns() {
        // A retry backoff far longer than the test: A and C can only notice B's return because B's users talk to
        // them and B's links to A and C authenticate (FederationLinks.onPeerBack), not because a timer fired. So the
        // B users are logged in before anything is delivered, and all 500 arrive live.
        try (ProcessFederation nodes = threeNodes("outage-drill",
                "federation.retry_initial=\"5m\"", "federation.retry_max=\"5m\"")) {
            DrillClient alice = DrillClient.login(nodes.node(A), "alice", "alice-secret");
            DrillClient carol = DrillClient.login(nodes.node(C), "carol", "carol-secret");
            try (DrillClient bob = DrillClient.login(nodes.node(B), "bob", "bob-secret");
                 DrillClient bea = DrillClient.login(nodes.node(B), "bea", "bea-secret")) {
                chat(alice, carol, "before");
                chat(alice, bob, "before");
                chat(carol, bea, "before");
            }

            nodes.node(B).kill();
            assertThat(nodes.node(B).exitValue()).as("B's JVM died of SIGKILL").isEqualTo(137);

            long undisturbedStart = System.nanoTime();
            chatBurst(alice, carol, 50);
            System.out.printf("[drill] A<->C with B dead: 100 messages exchanged in %d ms%n",
                    millisSince(undisturbedStart));

            for (DrillClient sender : List.of(alice, carol)) {
                for (String recipient : List.of("bob@" + B, "bea@" + B)) {
                    sender.sendAcknowledged(recipient, idPrefix(sender, recipient), numbered(sender, PER_PAIR), ACK_TIMEOUT);
                }
            }
            System.out.println("[drill] " + 2 * 2 * PER_PAIR + " messages for B's users accepted by A and C");

            alice.close();
            nodes.node(A).stop();
            nodes.node(A).start();
            alice = DrillClient.login(nodes.node(A), "alice", "alice-secret");
            chat(alice, carol, "after A restarted");
            List<DrillClient> senders = List.of(alice, carol);

            long bRestart = System.nanoTime();
            nodes.node(B).start();
            try (DrillClient bob = DrillClient.login(nodes.node(B), "bob", "bob-secret");
                 DrillClient bea = DrillClient.login(nodes.node(B), "bea", "bea-secret")) {
                List<DrillClient> recipients = List.of(bob, bea);
                chatOneWay(bob, alice, "B is back");
                chatOneWay(bea, carol, "B is back");
                await().atMost(ARRIVAL_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() ->
                        recipients.stream().allMatch(r -> senders.stream()
                                .allMatch(s -> drillBodies(r, s).size() >= PER_PAIR)));
                long lastArrival = recipients.stream().flatMap(r -> r.arrivals().stream())
                        .filter(arrival -> arrival.message().getBody().startsWith("drill "))
                        .mapToLong(DrillClient.Arrival::nanos).max().orElseThrow();
                System.out.printf("[drill] B restarted; all %d messages arrived %d ms later (drain time)%n",
                        2 * 2 * PER_PAIR, (lastArrival - bRestart) / 1_000_000);

                // Repeats would come after the originals: a fresh message from each sender, which the queue sends
                // after everything it held, marks the end of what can still arrive.
                for (DrillClient sender : senders) {
                    for (DrillClient recipient : recipients) {
                        chatOneWay(sender, recipient, "end of drill");
                    }
                }
                for (DrillClient recipient : recipients) {
                    for (DrillClient sender : senders) {
                        assertThat(drillBodies(recipient, sender)).as("%s from %s", recipient.jid(), sender.jid())
                                .containsExactlyElementsOf(numbered(sender, PER_PAIR));
                    }
                    assertThat(recipient.errors()).as("errors at %s", recipient.jid()).isEmpty();
                }
                chat(bob, carol, "all pairs work again");
                chat(bea, alice, "all pairs work again");
            }
            assertThat(alice.errors()).as("bounces at alice").isEmpty();
            assertThat(carol.errors()).as("bounces at carol").isEmpty();
            alice.close();
            carol.close();
        }
    }

    @Test
    @Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
    void aNodeGoneLongerThanTheQueueMaxAgeGetsNothingLateAndEverySenderIsTold() {
        int perSender = 100;
        try (ProcessFederation nodes = threeNodes("outage-drill-expiry", "federation.queue_max_age=\"5s\"")) {
            DrillClient alice = DrillClient.login(nodes.node(A), "alice", "alice-secret");
            DrillClient carol = DrillClient.login(nodes.node(C), "carol", "carol-secret");
            try (DrillClient bob = DrillClient.login(nodes.node(B), "bob", "bob-secret")) {
                chat(alice, bob, "before");
                chat(carol, bob, "before");
            }
            nodes.node(B).kill();

            List<DrillClient> senders = List.of(alice, carol);
            for (DrillClient sender : senders) {
                sender.sendAcknowledged("bob@" + B, idPrefix(sender, "bob@" + B), numbered(sender, perSender), ACK_TIMEOUT);
            }
            long sent = System.nanoTime();
            await().atMost(ARRIVAL_TIMEOUT).pollInterval(Duration.ofMillis(200))
                    .until(() -> senders.stream().allMatch(s -> s.errors().size() >= perSender));
            System.out.printf("[drill] B gone past queue_max_age (5s): %d bounces each at alice and carol within %d ms%n",
                    perSender, millisSince(sent));
            for (DrillClient sender : senders) {
                List<Message> bounces = sender.errors();
                assertThat(bounces).as("bounces at %s", sender.jid())
                        .allSatisfy(bounce -> {
                            assertThat(bounce.getFrom().toString()).isEqualTo("bob@" + B);
                            assertThat(bounce.getError().getCondition())
                                    .isEqualTo(StanzaError.Condition.remote_server_timeout);
                        });
                assertThat(bounces.stream().map(Message::getStanzaId).collect(Collectors.toList()))
                        .as("one bounce per message from %s", sender.jid())
                        .containsExactlyInAnyOrderElementsOf(ids(idPrefix(sender, "bob@" + B), perSender));
            }

            nodes.node(B).start();
            try (DrillClient bob = DrillClient.login(nodes.node(B), "bob", "bob-secret")) {
                // Each queue delivers in order: once a fresh message got through, nothing older is still waiting.
                for (DrillClient sender : senders) {
                    chatOneWay(sender, bob, "after B returned");
                    assertThat(drillBodies(bob, sender)).as("expired messages from %s delivered late", sender.jid())
                            .isEmpty();
                }
            }
            alice.close();
            carol.close();
        }
    }

    /** A, B and C with users alice (A), bob and bea (B), carol (C), peers authenticated by dialback. */
    private static ProcessFederation threeNodes(String name, String... extraSettings) {
        List<String> settings = new ArrayList<>(List.of("federation.auth=\"dialback\""));
        settings.addAll(List.of(extraSettings));
        ProcessFederation nodes = ProcessFederation.configure(name, List.of(A, B, C), settings.toArray(String[]::new));
        try {
            nodes.node(A).addAccount("alice", "alice-secret");
            nodes.node(B).addAccount("bob", "bob-secret");
            nodes.node(B).addAccount("bea", "bea-secret");
            nodes.node(C).addAccount("carol", "carol-secret");
            nodes.startAll();
            return nodes;
        } catch (RuntimeException e) {
            nodes.close();
            throw e;
        }
    }

    /** One message each way, each awaited: the links between the two nodes work. */
    private static void chat(DrillClient one, DrillClient other, String topic) {
        chatOneWay(one, other, topic);
        chatOneWay(other, one, topic);
    }

    private static void chatOneWay(DrillClient from, DrillClient to, String topic) {
        String body = topic + ": " + from.jid() + " to " + to.jid() + " " + System.nanoTime();
        from.send(to.jid(), "chat-" + System.nanoTime(), body);
        await().atMost(ARRIVAL_TIMEOUT).pollInterval(Duration.ofMillis(50))
                .until(() -> to.bodiesFrom(from.jid()).contains(body));
    }

    /** {@code count} numbered messages each way at once; both sides must get all, in order. */
    private static void chatBurst(DrillClient one, DrillClient other, int count) {
        List<String> fromOne = numberedWithTag(one, "burst", count);
        List<String> fromOther = numberedWithTag(other, "burst", count);
        for (int i = 0; i < count; i++) {
            one.send(other.jid(), "burst-" + one.jid() + "-" + i, fromOne.get(i));
            other.send(one.jid(), "burst-" + other.jid() + "-" + i, fromOther.get(i));
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() ->
                taggedFrom(other, one, "burst").size() >= count && taggedFrom(one, other, "burst").size() >= count);
        assertThat(taggedFrom(other, one, "burst")).containsExactlyElementsOf(fromOne);
        assertThat(taggedFrom(one, other, "burst")).containsExactlyElementsOf(fromOther);
    }

    private static List<String> drillBodies(DrillClient recipient, DrillClient sender) {
        return taggedFrom(recipient, sender, "drill");
    }

    private static List<String> taggedFrom(DrillClient recipient, DrillClient sender, String tag) {
        return recipient.bodiesFrom(sender.jid()).stream().filter(body -> body.startsWith(tag + " ")).toList();
    }

    private static List<String> numbered(DrillClient sender, int count) {
        return numberedWithTag(sender, "drill", count);
    }

    private static List<String> numberedWithTag(DrillClient sender, String tag, int count) {
        return IntStream.rangeClosed(1, count).mapToObj(n -> tag + " " + sender.jid() + " #" + n).toList();
    }

    private static String idPrefix(DrillClient sender, String recipient) {
        return "drill-" + sender.jid() + "-" + recipient + "-";
    }

    private static Set<String> ids(String prefix, int count) {
        return IntStream.rangeClosed(1, count).mapToObj(n -> prefix + n).collect(Collectors.toSet());
    }

    private static long millisSince(long nanos) { return (System.nanoTime() - nanos) / 1_000_000; }
}
