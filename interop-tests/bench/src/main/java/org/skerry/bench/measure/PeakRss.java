package org.skerry.bench.measure;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Samples the RSS of some processes every 100 ms while it runs and keeps each one's peak. */
public final class PeakRss implements AutoCloseable {
    private final List<ProcessProbe> probes;
    private final double[] peaks;
    private final ScheduledExecutorService sampler;

    public PeakRss(List<ProcessProbe> probes) {
        this.probes = probes;
        this.peaks = new double[probes.size()];
        Arrays.fill(peaks, Double.NaN);
        sampler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "bench-rss-sampler");
            thread.setDaemon(true);
            return thread;
        });
        sampler.scheduleAtFixedRate(this::sample, 0, 100, TimeUnit.MILLISECONDS);
    }

    private synchronized void sample() {
        for (int i = 0; i < peaks.length; i++) {
            double rss = probes.get(i).rssKib();
            if (!Double.isNaN(rss) && (Double.isNaN(peaks[i]) || rss > peaks[i])) {
                peaks[i] = rss;
            }
        }
    }

    /** The peak of each process so far, in order. */
    public synchronized double[] peaksKib() {
        return peaks.clone();
    }

    @Override
    public void close() {
        sampler.shutdownNow();
        sample();
    }
}
