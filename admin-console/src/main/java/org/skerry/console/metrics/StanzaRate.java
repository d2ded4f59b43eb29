package org.skerry.console.metrics;

import java.util.ArrayDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/**
 * Stanzas per second over the last {@link #WINDOW_SECONDS} seconds, from the stanza counters: a sample of their
 * total every {@link #SAMPLE_SECONDS} seconds, and the rate is the growth since the oldest sample still in the
 * window up to now, so it answers at once after traffic rather than a sampling period later.
 */
final class StanzaRate implements AutoCloseable {
    static final int SAMPLE_SECONDS = 5;
    static final int WINDOW_SECONDS = 30;
    private static final long SECOND_NANOS = TimeUnit.SECONDS.toNanos(1);

    private record Sample(long nanos, double total) {}

    private final DoubleSupplier total;
    /** Oldest first; at most WINDOW / SAMPLE + 1 entries. Guarded by this. */
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();
    private ScheduledFuture<?> sampling;

    StanzaRate(DoubleSupplier total) {
        this.total = total;
    }

    static StanzaRate start(DoubleSupplier total, ScheduledExecutorService scheduler) {
        StanzaRate rate = new StanzaRate(total);
        rate.sample(System.nanoTime());
        rate.sampling = scheduler.scheduleAtFixedRate(() -> rate.sample(System.nanoTime()), SAMPLE_SECONDS,
                SAMPLE_SECONDS, TimeUnit.SECONDS);
        return rate;
    }

    synchronized void sample(long nowNanos) {
        samples.addLast(new Sample(nowNanos, total.getAsDouble()));
        while (samples.size() > 1 && nowNanos - samples.peekFirst().nanos() > WINDOW_SECONDS * SECOND_NANOS) {
            samples.removeFirst();
        }
    }

    double perSecond() { return perSecond(System.nanoTime()); }

    synchronized double perSecond(long nowNanos) {
        Sample oldest = samples.peekFirst();
        if (oldest == null) {
            return 0;
        }
        // At least a second: right after the start, a handful of stanzas is not thousands per second.
        double seconds = Math.max(nowNanos - oldest.nanos(), SECOND_NANOS) / (double) SECOND_NANOS;
        return Math.max(0, total.getAsDouble() - oldest.total()) / seconds;
    }

    @Override
    public synchronized void close() {
        if (sampling != null) {
            sampling.cancel(false);
        }
    }
}
