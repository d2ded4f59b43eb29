package org.skerry.federation.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.skerry.federation.queue.RecordingPeerLink.Mode;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Namespaces;

/**
 * A node that queued stanzas for an unreachable peer dies without any shutdown (Runtime.halt, like kill -9); the
 * next node on the same data directory delivers every one of them, in order.
 */
class QueueCrashTest {
    private static final String PEER = "peer.example";
    private static final int COUNT = 300;

    @Test
    void everyAcceptedStanzaSurvivesAKilledNode() throws Exception {
        Path dataDir = QueueTestNode.newDataDir();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dataDir.resolve("child.log");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                QueueThenHalt.class.getName(), dataDir.toString(), Integer.toString(COUNT))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("child finished").isTrue();
        assertThat(Files.readString(log, StandardCharsets.UTF_8)).as("child output").contains(QueueThenHalt.DONE);

        try (QueueTestNode node = QueueTestNode.start(dataDir)) {
            RecordingPeerLink peer = new RecordingPeerLink();
            try (OutboundQueue queue = OutboundQueue.start(node.node(), peer, settings(), new Random(3))) {
                assertThat(queue.status()).singleElement().extracting(PeerStatus::depth).isEqualTo((long) COUNT);
                await().atMost(Duration.ofSeconds(30)).until(() -> queue.status().get(0).depth() == 0);
                assertThat(peer.writtenBodies())
                        .containsExactlyElementsOf(IntStream.range(0, COUNT).mapToObj(i -> "m" + i).toList());
            }
        }
    }

    private static QueueSettings settings() {
        return new QueueSettings(Duration.ofHours(72), 10_000, 50, Duration.ofSeconds(30), Duration.ofMillis(50),
                Duration.ofMillis(200));
    }

    /** The child process: queues COUNT stanzas for a peer that is down, waits for every commit, then dies. */
    public static final class QueueThenHalt {
        static final String DONE = "QUEUED-ALL";

        public static void main(String[] args) {
            QueueTestNode node = QueueTestNode.start(Path.of(args[0]));
            RecordingPeerLink down = new RecordingPeerLink();
            down.mode(Mode.DOWN);
            OutboundQueue queue = OutboundQueue.start(node.node(), down, settings(), new Random(3));
            List<CompletableFuture<Void>> accepted = new ArrayList<>();
            for (int i = 0; i < Integer.parseInt(args[1]); i++) {
                Element message = new Element("message", Namespaces.CLIENT).attr("from", "alice@skerry.test/r")
                        .attr("to", "bob@" + PEER).attr("type", "chat");
                message.addChild("body").addText("m" + i);
                accepted.add(queue.route(PEER, message));
            }
            CompletableFuture.allOf(accepted.toArray(CompletableFuture[]::new)).join();
            System.out.println(DONE);
            System.out.flush();
            Runtime.getRuntime().halt(0); // no close, no shutdown hooks: like a crash
        }
    }
}
