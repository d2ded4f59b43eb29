package org.skerry.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the value text of a {@code --set key=value} argument or a {@code SKERRY_*} variable. The text is a
 * TOML value ({@code 15222}, {@code true}, {@code ["a.test","b.test"]}, {@code "127.0.0.2"}); for keys that
 * expect text it may also be written bare ({@code 127.0.0.2}, {@code 30s}), because shell quoting of TOML
 * strings is a trap; and a list of strings may be written comma-separated ({@code a.test,b.test}). Bare
 * text is stripped of surrounding blanks; a value that must keep them is written as a quoted TOML string.
 */
final class OverrideValues {

    private OverrideValues() {
    }

    static Object parse(String key, ConfigSchema.Kind kind, String text, Origin origin) throws ConfigException {
        Optional<Object> toml = TomlValues.parseSingleValue(text);
        Object value = toml.orElse(null);
        return switch (kind) {
            case STRING, DURATION -> value instanceof String ? value : text.strip();
            case SIZE -> value instanceof String || value instanceof Long ? value : text.strip();
            case STRING_LIST -> {
                if (value instanceof List || value instanceof String) {
                    yield value instanceof String single ? List.of(single) : value;
                }
                yield commaSeparated(text);
            }
            case INTEGER -> toml.orElseThrow(() -> origin.error(key, "expected an integer, got \"" + text + "\""));
            case BOOLEAN -> toml.orElseThrow(() -> origin.error(key, "expected true or false, got \"" + text + "\""));
            case STRING_TABLE -> toml.orElseThrow(() -> origin.error(key,
                    "expected an inline table such as {\"peer.example\" = \"127.0.0.1:5269\"}, got \"" + text + "\""));
        };
    }

    private static List<Object> commaSeparated(String text) {
        List<Object> items = new ArrayList<>();
        for (String item : text.split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return items;
    }
}
