package org.skerry.federation.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Group commits on a real node's ordered storage executor. */
class GroupCommitTest {
    private QueueTestNode node;

    @BeforeEach
    void start() {
        Path dataDir = QueueTestNode.newDataDir();
        node = QueueTestNode.start(dataDir);
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void itemsAddedWhileACommitRunsShareTheNextOneInOrder() throws Exception {
        List<List<Integer>> commits = new ArrayList<>();
        CountDownLatch firstCommitStarted = new CountDownLatch(1);
        CountDownLatch releaseFirstCommit = new CountDownLatch(1);
        GroupCommit<Integer> group = new GroupCommit<>(node.node().storage(), "lane", items -> {
            commits.add(List.copyOf(items));
            firstCommitStarted.countDown();
            await(releaseFirstCommit);
        });

        CompletableFuture<Void> first = group.add(() -> 0);
        assertThat(firstCommitStarted.await(10, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<Void>> rest = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            int item = i;
            rest.add(group.add(() -> item));
        }
        assertThat(first).as("not committed before its transaction returned").isNotDone();
        releaseFirstCommit.countDown();
        CompletableFuture.allOf(rest.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

        assertThat(first).isDone();
        assertThat(commits).hasSize(2);
        assertThat(commits.get(0)).containsExactly(0);
        assertThat(commits.get(1)).hasSize(50).isSorted();
    }

    @Test
    void aFailedCommitFailsEveryItemInItAndTheNextCommitStillRuns() throws Exception {
        List<List<String>> commits = new ArrayList<>();
        GroupCommit<String> group = new GroupCommit<>(node.node().storage(), "lane", items -> {
            if (items.contains("bad")) {
                throw new IllegalStateException("disk full");
            }
            commits.add(List.copyOf(items));
        });

        assertThatThrownBy(() -> group.add(() -> "bad").join()).isInstanceOf(CompletionException.class)
                .hasRootCauseMessage("disk full");
        group.add(() -> "good").get(10, TimeUnit.SECONDS);
        assertThat(commits).containsExactly(List.of("good"));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
