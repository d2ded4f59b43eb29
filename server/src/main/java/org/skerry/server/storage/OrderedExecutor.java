package org.skerry.server.storage;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded worker pool that keeps order per key: the executor for blocking storage calls made on
 * behalf of network sessions.
 *
 * <p>Tasks submitted with the same ordering key (a session, a user, a peer domain) run one at a time in
 * submission order; tasks of different keys run in parallel on {@code threads} threads. A key's tasks
 * are handed to the pool one at a time, so one busy key cannot fill the pool's queue and every key gets
 * its turn.
 *
 * <p>{@link #submit} never blocks: it is called from Netty event loops. When {@code queueCapacity} tasks
 * are already waiting to start, the returned future fails at once with a
 * {@link RejectedExecutionException}; the caller applies back-pressure (stops reading, answers
 * {@code resource-constraint}) instead of queueing without bound.
 */
public final class OrderedExecutor implements AutoCloseable {
    private static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final String name;
    private final int queueCapacity;
    private final ThreadPoolExecutor pool;
    /**
     * A key is present while one of its tasks is scheduled or running; its deque holds the tasks waiting
     * behind that one. Updated only through {@code compute}, which is atomic per key.
     */
    private final ConcurrentHashMap<Object, ArrayDeque<Task<?>>> lanes = new ConcurrentHashMap<>();
    /** Accepted tasks that have not started: the number the capacity bounds. */
    private final AtomicInteger waiting = new AtomicInteger();
    /** Accepted tasks that have not finished; close() waits for this to reach zero. */
    private final AtomicInteger unfinished = new AtomicInteger();
    private final Object drained = new Object();
    private volatile boolean closed;

    /**
     * @param name names the threads ({@code name-1}, {@code name-2} ...)
     * @param threads number of worker threads, at least 1
     * @param queueCapacity how many tasks may wait to start before submissions are rejected, at least 1
     */
    public OrderedExecutor(String name, int threads, int queueCapacity) {
        this.name = Objects.requireNonNull(name, "name");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (queueCapacity < 1) {
            // Every accepted task waits at least briefly before a thread takes it, so 0 would reject all.
            throw new IllegalArgumentException("queueCapacity must be at least 1, got " + queueCapacity);
        }
        this.queueCapacity = queueCapacity;
        // Unbounded here, yet bounded in fact: it holds at most one task per key, and each is counted in
        // `waiting`, which submit() keeps within queueCapacity.
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                threadFactory(name));
    }

    private static ThreadFactory threadFactory(String name) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Schedules {@code work} after all earlier work of the same key.
     *
     * @return completes with the work's result or exception; fails at once with a
     *     {@link RejectedExecutionException} if the queue is full or the executor is closed
     */
    public <T> CompletableFuture<T> submit(Object orderingKey, Callable<T> work) {
        Objects.requireNonNull(orderingKey, "orderingKey");
        Objects.requireNonNull(work, "work");
        if (closed) {
            return CompletableFuture.failedFuture(new RejectedExecutionException(name + " is closed"));
        }
        if (waiting.incrementAndGet() > queueCapacity) {
            waiting.decrementAndGet();
            return CompletableFuture.failedFuture(new RejectedExecutionException(
                    name + " queue is full (" + queueCapacity + " tasks waiting)"));
        }
        unfinished.incrementAndGet();
        Task<T> task = new Task<>(orderingKey, work);
        boolean[] laneWasIdle = {false};
        lanes.compute(orderingKey, (key, lane) -> {
            if (lane == null) {
                laneWasIdle[0] = true;
                return new ArrayDeque<>();
            }
            lane.addLast(task);
            return lane;
        });
        if (laneWasIdle[0]) {
            schedule(task);
        }
        return task.future;
    }

    /** The number of accepted tasks that have not started yet. */
    public int waitingCount() {
        return waiting.get();
    }

    /** True when three quarters of the queue are taken: readers should pause before work gets refused. */
    public boolean isCongested() {
        return waiting.get() * 4L >= queueCapacity * 3L;
    }

    private void schedule(Task<?> task) {
        try {
            pool.execute(new LaneStart(task, () -> runAndScheduleNext(task)));
        } catch (RejectedExecutionException e) {
            // Only after a forced close: fail this task and everything behind it instead of hanging.
            failLane(task, e);
        }
    }

    private void runAndScheduleNext(Task<?> task) {
        try {
            task.run();
        } finally {
            finished();
            Task<?> next = pollNext(task.key);
            if (next != null) {
                schedule(next);
            }
        }
    }

    private Task<?> pollNext(Object key) {
        Task<?>[] next = new Task<?>[1];
        lanes.compute(key, (k, lane) -> {
            next[0] = lane.pollFirst();
            return next[0] == null ? null : lane;
        });
        return next[0];
    }

    private void failLane(Task<?> first, RejectedExecutionException cause) {
        Task<?> task = first;
        while (task != null) {
            waiting.decrementAndGet();
            task.future.completeExceptionally(cause);
            finished();
            task = pollNext(task.key);
        }
    }

    private void finished() {
        if (unfinished.decrementAndGet() == 0) {
            synchronized (drained) {
                drained.notifyAll();
            }
        }
    }

    /**
     * Stops accepting work and waits up to {@code timeout} for accepted work to finish. Work that has not
     * started by then fails with a {@link RejectedExecutionException}; running work is interrupted.
     *
     * @return true if everything accepted finished in time
     */
    public boolean close(Duration timeout) {
        closed = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean drainedInTime = true;
        synchronized (drained) {
            while (unfinished.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    drainedInTime = false;
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(drained, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    drainedInTime = false;
                    break;
                }
            }
        }
        if (drainedInTime) {
            pool.shutdown();
        } else {
            failWaiting(pool.shutdownNow());
        }
        return drainedInTime;
    }

    private void failWaiting(List<Runnable> neverStarted) {
        RejectedExecutionException cause = new RejectedExecutionException(name + " closed before the task ran");
        // Tasks still queued in the pool are lane heads; their lanes hold the rest. Running tasks will
        // schedule their successors, which the shut-down pool rejects, and schedule() fails those lanes.
        List<Task<?>> heads = new ArrayList<>();
        for (Runnable runnable : neverStarted) {
            if (runnable instanceof LaneStart start) {
                heads.add(start.task);
            }
        }
        heads.forEach(head -> failLane(head, cause));
    }

    /** Stops accepting work and waits up to 10 seconds for accepted work to finish. */
    @Override
    public void close() {
        close(DEFAULT_CLOSE_TIMEOUT);
    }

    /** The runnable handed to the pool, recognisable when shutdownNow() returns it unrun. */
    private record LaneStart(Task<?> task, Runnable body) implements Runnable {
        @Override
        public void run() {
            body.run();
        }
    }

    private final class Task<T> {
        final Object key;
        final Callable<T> work;
        final CompletableFuture<T> future = new CompletableFuture<>();

        Task(Object key, Callable<T> work) {
            this.key = key;
            this.work = work;
        }

        void run() {
            waiting.decrementAndGet();
            if (future.isDone()) {
                return; // cancelled by the caller while waiting
            }
            try {
                future.complete(work.call());
            } catch (Throwable t) {
                future.completeExceptionally(t);
            }
        }
    }
}
