package org.skerry.federation.link;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A few daemon threads for name look-ups that block (MiniDNS queries, the system resolver), so that no event loop
 * waits for one. The queue in front of them is bounded: past it a look-up fails at once and its link is retried
 * later, instead of memory filling up behind a DNS server that stopped answering.
 */
final class LookupThreads implements AutoCloseable {
    private static final int MAX_WAITING = 1000;

    private final ThreadPoolExecutor pool;

    LookupThreads(String name, int threads) {
        AtomicInteger count = new AtomicInteger();
        pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(MAX_WAITING),
                r -> {
                    Thread t = new Thread(r, name + "-" + count.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
    }

    /** Runs {@code lookUp} on one of these threads; fails at once when too many look-ups wait already. */
    <T> CompletableFuture<T> run(Supplier<T> lookUp) {
        try {
            return CompletableFuture.supplyAsync(lookUp, pool);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new RejectedExecutionException(
                    "too many name look-ups are waiting (" + MAX_WAITING + ")"));
        }
    }

    @Override
    public void close() { pool.shutdownNow(); }
}
