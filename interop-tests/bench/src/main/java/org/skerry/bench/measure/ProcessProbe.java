package org.skerry.bench.measure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Memory and CPU of one process from /proc: VmRSS and VmHWM from {@code status}, user plus system CPU time from
 * {@code stat} in clock ticks ({@code getconf CLK_TCK}, else 100). A process that is gone reads as NaN.
 */
public final class ProcessProbe {
    private static final double CLOCK_TICKS = clockTicks();

    private final String name;
    private final Path proc;

    private ProcessProbe(String name, Path proc) {
        this.name = name;
        this.proc = proc;
    }

    public static ProcessProbe of(String name, long pid) { return new ProcessProbe(name, Path.of("/proc", Long.toString(pid))); }

    /** The tool's own process. */
    public static ProcessProbe self() { return new ProcessProbe("tool", Path.of("/proc/self")); }

    /** The name figures about this process start with ("server", "server2", "tool"). */
    public String name() { return name; }

    public double rssKib() { return statusKib("VmRSS:"); }

    /** The peak RSS the kernel saw over the whole life of the process. */
    public double hwmKib() { return statusKib("VmHWM:"); }

    public double cpuSeconds() {
        try {
            long[] ticks = parseStat(Files.readString(proc.resolve("stat")));
            return (ticks[0] + ticks[1]) / CLOCK_TICKS;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private double statusKib(String key) {
        try {
            for (String line : Files.readAllLines(proc.resolve("status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    /**
     * utime and stime (fields 14 and 15 of /proc/PID/stat), counted after the command name, which is in parentheses
     * and may itself hold spaces and parentheses.
     */
    static long[] parseStat(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // fields[0] is field 3 (state)
        return new long[] {Long.parseLong(fields[14 - 3]), Long.parseLong(fields[15 - 3])};
    }

    private static double clockTicks() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            try (InputStream out = getconf.getInputStream()) {
                String text = new String(out.readAllBytes(), StandardCharsets.US_ASCII).trim();
                getconf.waitFor();
                return Double.parseDouble(text);
            }
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }

    /** CPU seconds of each probe now, in order. */
    public static double[] cpuSeconds(List<ProcessProbe> probes) {
        double[] seconds = new double[probes.size()];
        for (int i = 0; i < seconds.length; i++) {
            seconds[i] = probes.get(i).cpuSeconds();
        }
        return seconds;
    }
}
