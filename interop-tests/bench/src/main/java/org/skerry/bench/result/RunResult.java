package org.skerry.bench.result;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.skerry.bench.load.ErrorCounts;

/**
 * What one run measured: its parameters, named figures (units in the names: _ms, _kib, _s, _per_s), the steps of a
 * chat run and errors by reason. Written as JSON for {@code report}, and printed as a human summary.
 */
public final class RunResult {
    private final String label;
    private final String scenario;
    private final String group;
    private final Instant startedAt = Instant.now();
    private final long startNanos = System.nanoTime();
    private final Map<String, Object> parameters = new LinkedHashMap<>();
    private final Map<String, Double> figures = new LinkedHashMap<>();
    private final List<Map<String, Object>> steps = new ArrayList<>();
    private final ErrorCounts errors = new ErrorCounts();

    public RunResult(String label, String scenario, String group) {
        this.label = label;
        this.scenario = scenario;
        this.group = group;
    }

    public RunResult parameter(String name, Object value) {
        parameters.put(name, value);
        return this;
    }

    /** Records a figure; NaN (not measurable here, e.g. no server pid) is left out. */
    public RunResult figure(String name, double value) {
        if (Double.isFinite(value)) {
            figures.put(name, Math.round(value * 1000) / 1000.0);
        }
        return this;
    }

    public void step(Map<String, Object> step) { steps.add(step); }

    public ErrorCounts errors() { return errors; }

    public Map<String, Double> figures() { return figures; }

    public double durationSeconds() { return (System.nanoTime() - startNanos) / 1e9; }

    public Map<String, Object> toMap() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("label", label);
        json.put("scenario", scenario);
        json.put("group", group);
        json.put("parameters", parameters);
        json.put("figures", figures);
        if (!steps.isEmpty()) {
            json.put("steps", steps);
        }
        json.put("errors", errors.snapshot());
        json.put("startedAt", startedAt.toString());
        json.put("durationSeconds", Math.round(durationSeconds() * 1000) / 1000.0);
        return json;
    }

    public void write(Path out) throws IOException {
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(out, JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(toMap()) + "\n");
    }

    /** A few lines for a person reading the terminal. */
    public String summary() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "== %s: %s (%s) in %.1f s%n", label, scenario, group, durationSeconds()));
        figures.forEach((name, value) -> out.append(String.format(Locale.ROOT, "  %-40s %s%n", name, Report.number(value))));
        if (!steps.isEmpty()) {
            out.append(String.format(Locale.ROOT, "  %8s %9s %9s %9s %8s %8s %8s %11s %8s  %s%n", "rate", "sent/s",
                    "deliv/s", "share", "p50 ms", "p99 ms", "max ms", "srv us/msg", "tool s", "verdict"));
            for (Map<String, Object> step : steps) {
                out.append(String.format(Locale.ROOT, "  %8s %9s %9s %9s %8s %8s %8s %11s %8s  %s%n", step.get("rate"),
                        step.get("send_rate"), step.get("delivered_rate"), step.get("delivered_share"), step.get("p50_ms"),
                        step.get("p99_ms"), step.get("max_ms"), step.get("server_cpu_us_per_msg"), step.get("tool_cpu_s"),
                        step.get("verdict")));
            }
        }
        Map<String, Long> byReason = errors.snapshot();
        out.append("  errors: ").append(byReason.isEmpty() ? "none" : byReason.toString()).append('\n');
        return out.toString();
    }
}
