package org.skerry.bench.load;

import org.HdrHistogram.ConcurrentHistogram;

/** Latencies recorded from any thread in microseconds (three significant digits), read as milliseconds. */
public final class Latencies {
    private final ConcurrentHistogram histogram = new ConcurrentHistogram(3);

    public Latencies() { histogram.setAutoResize(true); }

    public void recordNanos(long nanos) { histogram.recordValue(Math.max(0, nanos / 1000)); }

    public long count() { return histogram.getTotalCount(); }

    public double percentileMs(double percentile) {
        return count() == 0 ? Double.NaN : histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    public double maxMs() { return count() == 0 ? Double.NaN : histogram.getMaxValue() / 1000.0; }
}
