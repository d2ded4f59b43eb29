package org.skerry.federation.queue;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with "equal jitter": after the n-th consecutive failure the ceiling is
 * {@code min(max, initial * 2^(n-1))}, and the delay is drawn uniformly from [ceiling/2, ceiling]. The random half
 * spreads the reconnects of many nodes to a peer that comes back; the fixed half keeps the growth.
 */
public final class Backoff {
    private final Duration initial;
    private final Duration max;
    private final RandomGenerator random;

    public Backoff(Duration initial, Duration max, RandomGenerator random) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max, got " + initial + " and " + max);
        }
        this.initial = initial;
        this.max = max;
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The ceiling after {@code failures} consecutive failures (at least 1). */
    public Duration ceiling(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be at least 1, got " + failures);
        }
        long maxMillis = max.toMillis();
        long millis = initial.toMillis();
        for (int i = 1; i < failures && millis < maxMillis; i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, maxMillis));
    }

    /**
     * The delay before the next attempt after {@code failures} consecutive failures. Synchronized because one
     * backoff serves every peer and a {@link RandomGenerator} need not be thread-safe.
     */
    public synchronized Duration delay(int failures) {
        long ceiling = ceiling(failures).toMillis();
        long floor = ceiling / 2;
        return Duration.ofMillis(floor + random.nextLong(ceiling - floor + 1));
    }
}
