package org.skerry.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OrderedExecutorTest {
    @Test
    void sameKeyRunsInSubmissionOrderAndNeverConcurrently() throws Exception {
        try (OrderedExecutor executor = new OrderedExecutor("t", 4, 10_000)) {
            int keys = 5;
            int perKey = 200;
            Map<Integer, List<Integer>> seen = new ConcurrentHashMap<>();
            Map<Integer, AtomicInteger> running = new ConcurrentHashMap<>();
            AtomicInteger overlaps = new AtomicInteger();
            List<CompletableFuture<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < perKey; i++) {
                for (int key = 0; key < keys; key++) {
                    int k = key;
                    int sequence = i;
                    futures.add(executor.submit("key-" + k, () -> {
                        if (running.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet() != 1) {
                            overlaps.incrementAndGet();
                        }
                        if (ThreadLocalRandom.current().nextInt(10) == 0) {
                            Thread.sleep(1); // let other threads try to overtake
                        }
                        seen.computeIfAbsent(k, x -> new CopyOnWriteArrayList<>()).add(sequence);
                        running.get(k).decrementAndGet();
                        return sequence;
                    }));
                }
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            assertThat(overlaps).hasValue(0);
            for (int key = 0; key < keys; key++) {
                assertThat(seen.get(key)).hasSize(perKey).isSorted();
            }
        }
    }

    @Test
    void differentKeysRunInParallel() throws Exception {
        try (OrderedExecutor executor = new OrderedExecutor("t", 2, 10)) {
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<String> blocked = executor.submit("a", () -> {
                release.await();
                return "a";
            });
            CompletableFuture<String> free = executor.submit("b", () -> "b");
            assertThat(free.get(10, TimeUnit.SECONDS)).isEqualTo("b");
            assertThat(blocked).isNotDone();
            release.countDown();
            assertThat(blocked.get(10, TimeUnit.SECONDS)).isEqualTo("a");
        }
    }

    @Test
    void rejectsAtOnceWhenTheQueueIsFullAndRecoversAfterwards() throws Exception {
        try (OrderedExecutor executor = new OrderedExecutor("t", 1, 3)) {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Integer> running = executor.submit("x", () -> {
                started.countDown();
                release.await();
                return 0;
            });
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            // The running task no longer counts; three may wait, on any keys.
            List<CompletableFuture<Integer>> waiting = List.of(executor.submit("x", () -> 1),
                    executor.submit("y", () -> 2), executor.submit("z", () -> 3));
            assertThat(executor.waitingCount()).isEqualTo(3);

            CompletableFuture<Integer> overflow = executor.submit("w", () -> 4);
            assertThat(overflow).isCompletedExceptionally();
            assertThatThrownBy(overflow::join).hasCauseInstanceOf(RejectedExecutionException.class);
            assertThat(executor.waitingCount()).as("a rejected task is not counted").isEqualTo(3);

            release.countDown();
            assertThat(running.get(10, TimeUnit.SECONDS)).isZero();
            for (int i = 0; i < 3; i++) {
                assertThat(waiting.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i + 1);
            }
            assertThat(executor.submit("w", () -> 5).get(10, TimeUnit.SECONDS)).isEqualTo(5);
            assertThat(executor.waitingCount()).isZero();
        }
    }

    @Test
    void aFailingTaskFailsItsFutureOnlyAndTheKeyGoesOn() throws Exception {
        try (OrderedExecutor executor = new OrderedExecutor("t", 1, 10)) {
            CompletableFuture<Object> failing = executor.submit("k", () -> {
                throw new IllegalStateException("boom");
            });
            CompletableFuture<String> after = executor.submit("k", () -> "after");
            assertThat(after.get(10, TimeUnit.SECONDS)).isEqualTo("after");
            assertThatThrownBy(() -> failing.get(1, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void closeDrainsAcceptedWorkThenRejectsNewWork() throws Exception {
        OrderedExecutor executor = new OrderedExecutor("t", 2, 1000);
        List<CompletableFuture<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            int value = i;
            futures.add(executor.submit(i % 3, () -> {
                Thread.sleep(1);
                return value;
            }));
        }
        assertThat(executor.close(Duration.ofSeconds(30))).isTrue();
        assertThat(futures).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        CompletableFuture<Integer> late = executor.submit("k", () -> 1);
        assertThatThrownBy(late::join).hasCauseInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void closeTimesOutAndFailsWhatNeverStarted() throws Exception {
        OrderedExecutor executor = new OrderedExecutor("t", 1, 10);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        CompletableFuture<Integer> stuck = executor.submit("a", () -> {
            started.countDown();
            never.await();
            return 0;
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Integer> sameKey = executor.submit("a", () -> 1);
        CompletableFuture<Integer> otherKey = executor.submit("b", () -> 2);

        assertThat(executor.close(Duration.ofMillis(200))).isFalse();
        assertThatThrownBy(() -> otherKey.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> sameKey.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> stuck.get(10, TimeUnit.SECONDS))
                .as("the running task was interrupted").hasCauseInstanceOf(InterruptedException.class);
    }

    @Test
    void validatesItsArguments() {
        assertThatThrownBy(() -> new OrderedExecutor("t", 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OrderedExecutor("t", 1, 0)).isInstanceOf(IllegalArgumentException.class);
        try (OrderedExecutor executor = new OrderedExecutor("t", 1, 1)) {
            assertThatThrownBy(() -> executor.submit(null, () -> 1)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> executor.submit("k", null)).isInstanceOf(NullPointerException.class);
        }
    }
}
