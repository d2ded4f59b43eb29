package org.skerry.bench.result;

import java.util.Locale;

/**
 * Which way a figure is better, read from its name so that the report stays generic: rates and counts of what
 * succeeded are better higher; times, memory, CPU and errors lower; the tool's own figures and parameters (like
 * the client count) have no direction.
 */
public enum Better {
    HIGHER("higher"), LOWER("lower"), NEITHER("");

    private final String word;

    Better(String word) { this.word = word; }

    public String word() { return word; }

    public static Better of(String figure) {
        String name = figure.toLowerCase(Locale.ROOT);
        if (name.startsWith("tool_") || name.equals("clients") || name.contains("already_existed")) {
            return NEITHER;
        }
        if (name.contains("per_s") || name.contains("kept_up") || name.endsWith("_share")) {
            return HIGHER;
        }
        if (name.endsWith("_ms") || name.endsWith("_kib") || name.endsWith("_s") || name.endsWith("_us_per_msg")
                || name.contains("error") || name.contains("dropped") || name.contains("late")
                || name.contains("undelivered")) {
            return LOWER;
        }
        if (name.contains("logged_in") || name.contains("registered") || name.contains("reconnected")
                || name.contains("delivered")) {
            return HIGHER;
        }
        return NEITHER;
    }
}
