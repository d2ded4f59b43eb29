package org.skerry.bench;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Durations as written on the command line: a number with ms, s, m or h, parts may follow each other ("1m30s"). */
final class Durations implements ITypeConverter<Duration> {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    @Override
    public Duration convert(String text) {
        return parse(text);
    }

    static Duration parse(String text) {
        String trimmed = text.trim();
        Matcher part = PART.matcher(trimmed);
        double millis = 0;
        int end = 0;
        while (part.lookingAt()) {
            double amount = Double.parseDouble(part.group(1));
            millis += amount * switch (part.group(2)) {
                case "ms" -> 1;
                case "s" -> 1000;
                case "m" -> 60_000;
                default -> 3_600_000;
            };
            end = part.end();
            part.region(end, trimmed.length());
        }
        if (end == 0 || end != trimmed.length()) {
            throw new TypeConversionException("'" + text + "' is not a duration like 20s, 500ms, 2m or 1m30s");
        }
        return Duration.ofNanos(Math.round(millis * 1_000_000));
    }
}
