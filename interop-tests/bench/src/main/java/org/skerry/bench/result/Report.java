package org.skerry.bench.result;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Markdown tables from the result JSONs of a bench run: one table per group (a scenario and its variant, such as
 * "idle PLAIN none"), one row per figure, one column per label ("skerry" first, the others in the order they ran),
 * then one ratio column skerry/label per other label, saying how many times better or worse skerry is.
 */
public final class Report {
    static final String LEAD = "skerry";

    private final Map<String, Map<String, Map<String, Object>>> runsByGroup = new LinkedHashMap<>();
    private final List<String> labels = new ArrayList<>();

    /** Reads every *.json in {@code dir}; when a group has several runs of one label, the latest counts. */
    public static Report read(Path dir) throws IOException {
        List<Map<String, Object>> runs = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                runs.add(JSON.std.mapFrom(Files.readString(file)));
            }
        }
        return of(runs);
    }

    static Report of(List<Map<String, Object>> runs) {
        Report report = new Report();
        List<Map<String, Object>> ordered = new ArrayList<>(runs);
        ordered.sort(Comparator.comparing(run -> String.valueOf(run.get("startedAt"))));
        for (Map<String, Object> run : ordered) {
            String label = String.valueOf(run.get("label"));
            Object group = run.get("group") != null ? run.get("group") : run.get("scenario");
            report.runsByGroup.computeIfAbsent(String.valueOf(group), g -> new LinkedHashMap<>()).put(label, run);
            if (!report.labels.contains(label)) {
                report.labels.add(label);
            }
        }
        if (report.labels.remove(LEAD)) {
            report.labels.add(0, LEAD);
        }
        return report;
    }

    public String markdown() {
        StringBuilder out = new StringBuilder("# Load benchmark\n\n");
        out.append("Ratios are ").append(labels.isEmpty() ? LEAD : labels.get(0))
                .append(" / other; \"better\" follows the figure's direction.\n");
        runsByGroup.forEach((group, runs) -> table(out, group, runs));
        return out.toString();
    }

    private void table(StringBuilder out, String group, Map<String, Map<String, Object>> runs) {
        List<String> columns = labels.stream().filter(runs::containsKey).toList();
        String lead = columns.get(0);
        List<String> others = columns.subList(1, columns.size());
        out.append("\n## ").append(group).append("\n\n| figure | better |");
        columns.forEach(label -> out.append(' ').append(label).append(" |"));
        others.forEach(label -> out.append(' ').append(lead).append('/').append(label).append(" |"));
        out.append("\n|---|---|");
        out.append("---:|".repeat(columns.size() + others.size()));
        out.append('\n');
        for (Map.Entry<String, Map<String, Double>> row : rows(columns, runs).entrySet()) {
            Better better = Better.of(row.getKey());
            out.append("| ").append(row.getKey()).append(" | ").append(better.word()).append(" |");
            for (String label : columns) {
                Double value = row.getValue().get(label);
                out.append(' ').append(value == null ? "–" : number(value)).append(" |");
            }
            for (String label : others) {
                out.append(' ').append(ratio(row.getValue().get(lead), row.getValue().get(label), better)).append(" |");
            }
            out.append('\n');
        }
        List<String> errorLines = new ArrayList<>();
        for (String label : columns) {
            Object errors = runs.get(label).get("errors");
            if (errors instanceof Map<?, ?> byReason && !byReason.isEmpty()) {
                errorLines.add("- " + label + ": " + byReason);
            }
        }
        if (!errorLines.isEmpty()) {
            out.append("\nErrors by reason:\n\n").append(String.join("\n", errorLines)).append('\n');
        }
    }

    /** Figure name to label to value: the figures, then per chat step its delivered rate, p99 and CPU per message. */
    private static Map<String, Map<String, Double>> rows(List<String> columns, Map<String, Map<String, Object>> runs) {
        Map<String, Map<String, Double>> rows = new LinkedHashMap<>();
        for (String label : columns) {
            if (runs.get(label).get("figures") instanceof Map<?, ?> figures) {
                figures.forEach((name, value) -> put(rows, String.valueOf(name), label, value));
            }
        }
        Set<Long> rates = new TreeSet<>();
        Map<String, Map<Long, Map<?, ?>>> stepsByLabel = new LinkedHashMap<>();
        for (String label : columns) {
            if (runs.get(label).get("steps") instanceof List<?> steps) {
                for (Object step : steps) {
                    if (step instanceof Map<?, ?> s && s.get("rate") instanceof Number rate) {
                        rates.add(rate.longValue());
                        stepsByLabel.computeIfAbsent(label, l -> new LinkedHashMap<>()).put(rate.longValue(), s);
                    }
                }
            }
        }
        for (long rate : rates) {
            for (String figure : List.of("delivered_rate", "p99_ms", "server_cpu_us_per_msg")) {
                String row = "step " + rate + " msg/s: " + (figure.equals("delivered_rate") ? "delivered_per_s" : figure);
                for (String label : columns) {
                    Map<?, ?> step = stepsByLabel.getOrDefault(label, Map.of()).get(rate);
                    put(rows, row, label, step == null ? null : step.get(figure));
                }
            }
        }
        return rows;
    }

    private static void put(Map<String, Map<String, Double>> rows, String row, String label, Object value) {
        Map<String, Double> cells = rows.computeIfAbsent(row, r -> new LinkedHashMap<>());
        if (value instanceof Number number) {
            cells.put(label, number.doubleValue());
        }
    }

    /** "0.48 (2.1× better)": lead / other, and how many times better or worse that is for this figure. */
    static String ratio(Double lead, Double other, Better better) {
        if (lead == null || other == null) {
            return "–";
        }
        String value = other == 0 ? (lead == 0 ? "1" : "∞") : number(lead / other);
        if (better == Better.NEITHER) {
            return value;
        }
        if (lead.equals(other)) {
            return value + " (same)";
        }
        boolean leadBetter = better == Better.HIGHER ? lead > other : lead < other;
        double high = Math.max(lead, other);
        double low = Math.min(lead, other);
        String factor = low <= 0 ? "" : String.format(Locale.ROOT, "%.1f× ", high / low);
        return value + " (" + factor + (leadBetter ? "better" : "worse") + ")";
    }

    /** A figure for people: no decimals from 100 on, one from 10, up to three below. */
    static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        double magnitude = Math.abs(value);
        String pattern = magnitude >= 100 ? "%.0f" : magnitude >= 10 ? "%.1f" : magnitude >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, pattern, value);
    }

    public void write(Path out) throws IOException {
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(out, markdown());
    }

    /** The groups in the report, in the order they ran. */
    public Set<String> groups() { return new LinkedHashSet<>(runsByGroup.keySet()); }
}
