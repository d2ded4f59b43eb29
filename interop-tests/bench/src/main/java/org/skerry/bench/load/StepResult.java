package org.skerry.bench.load;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of one chat step over its measuring window. Server CPU is per server process (a name each), and
 * {@code serverCpuMicrosPerMessage} divides their sum by the messages delivered.
 */
public record StepResult(long rate, double windowSeconds, long offered, long sent, long notWritable, long delivered,
        long late, double p50Ms, double p99Ms, double maxMs, Map<String, Double> serverCpuSeconds, double toolCpuSeconds,
        boolean generatorBound, boolean keptUp, String verdict) {

    public double sendRate() { return sent / windowSeconds; }

    public double deliveredRate() { return delivered / windowSeconds; }

    public double deliveredShare() { return offered == 0 ? 0 : (double) delivered / offered; }

    public double serverCpuMicrosPerMessage() {
        double total = serverCpuSeconds.values().stream().mapToDouble(Double::doubleValue).sum();
        return delivered == 0 || serverCpuSeconds.isEmpty() ? Double.NaN : total * 1e6 / delivered;
    }

    /** The step as it appears in the result JSON. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("rate", rate);
        map.put("offered", offered);
        map.put("sent", sent);
        map.put("not_writable", notWritable);
        map.put("delivered", delivered);
        map.put("late", late);
        map.put("send_rate", number(sendRate()));
        map.put("delivered_rate", number(deliveredRate()));
        map.put("delivered_share", number(deliveredShare()));
        map.put("p50_ms", number(p50Ms));
        map.put("p99_ms", number(p99Ms));
        map.put("max_ms", number(maxMs));
        serverCpuSeconds.forEach((name, seconds) -> map.put(name + "_cpu_s", number(seconds)));
        map.put("server_cpu_us_per_msg", number(serverCpuMicrosPerMessage()));
        map.put("tool_cpu_s", number(toolCpuSeconds));
        map.put("generator_bound", generatorBound);
        map.put("kept_up", keptUp);
        map.put("verdict", verdict);
        return map;
    }

    /** Rounded to 0.001; null when not a number (nothing delivered), which JSON can carry. */
    static Double number(double value) {
        return Double.isFinite(value) ? Math.round(value * 1000) / 1000.0 : null;
    }
}
