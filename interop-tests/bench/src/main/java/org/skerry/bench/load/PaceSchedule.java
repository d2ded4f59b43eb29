package org.skerry.bench.load;

/**
 * How many messages are due after some time at a fixed global rate: the pacer sends, at each tick, the difference
 * between this and what it already sent, so rounding never accumulates and a late tick catches up.
 */
public final class PaceSchedule {
    private final long ratePerSecond;

    public PaceSchedule(long ratePerSecond) {
        if (ratePerSecond <= 0) {
            throw new IllegalArgumentException("rate must be positive: " + ratePerSecond);
        }
        this.ratePerSecond = ratePerSecond;
    }

    /** Messages due in the first {@code elapsedNanos} (floor of rate × time). */
    public long dueBy(long elapsedNanos) {
        if (elapsedNanos <= 0) {
            return 0;
        }
        long seconds = elapsedNanos / 1_000_000_000L;
        long rest = elapsedNanos % 1_000_000_000L;
        return seconds * ratePerSecond + rest * ratePerSecond / 1_000_000_000L;
    }
}
