package org.skerry.server.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Typed, validated reads of the winning value of each key. Every failure becomes a {@link ConfigException}
 * that points at the place the value came from (file line, {@code --set}, variable), never at a default the
 * admin did not write.
 *
 * <p>It also remembers which keys were read: a key that is declared in {@link ConfigSchema} but never bound
 * to a typed accessor is a programming error that {@link #requireAllRead()} catches.
 */
final class ResolvedValues {

    private final Map<String, RawValue> values;
    private final Set<String> read = new HashSet<>();

    ResolvedValues(Map<String, RawValue> values) {
        this.values = values;
    }

    RawValue raw(String key) {
        RawValue value = values.get(key);
        if (value == null) {
            throw new IllegalStateException("not a configuration key: " + key);
        }
        read.add(key);
        return value;
    }

    ConfigException error(String key, String reason) {
        return raw(key).origin().error(key, reason);
    }

    ConfigException error(String key, Object part, String reason) {
        return raw(key).originOf(part).error(key, reason);
    }

    void requireAllRead() {
        Set<String> unread = new HashSet<>(values.keySet());
        unread.removeAll(read);
        if (!unread.isEmpty()) {
            throw new IllegalStateException("configuration keys without a typed accessor: " + unread);
        }
    }

    private <T> T typed(String key, Class<T> type, String expected) throws ConfigException {
        Object value = raw(key).value();
        if (!type.isInstance(value)) {
            throw error(key, "expected " + expected + ", got " + RawValue.describeType(value));
        }
        return type.cast(value);
    }

    String string(String key) throws ConfigException {
        return typed(key, String.class, "a string");
    }

    /** A string that must not be empty. */
    String nonEmptyString(String key) throws ConfigException {
        String value = string(key);
        if (value.isEmpty()) {
            throw error(key, "must not be empty");
        }
        return value;
    }

    boolean bool(String key) throws ConfigException {
        return typed(key, Boolean.class, "true or false");
    }

    int integer(String key, int min, int max) throws ConfigException {
        long value = typed(key, Long.class, "an integer");
        if (value < min || value > max) {
            throw error(key, "must be between " + min + " and " + max + " (got " + value + ")");
        }
        return (int) value;
    }

    int port(String key) throws ConfigException {
        return integer(key, 0, 65535);
    }

    /** A duration that is positive, or also zero when {@code zeroAllowed} (where zero means "disabled"). */
    Duration duration(String key, boolean zeroAllowed) throws ConfigException {
        String text = typed(key, String.class, "a duration such as \"30s\"");
        Duration duration;
        try {
            duration = ValueSyntax.duration(text);
        } catch (IllegalArgumentException invalid) {
            throw error(key, invalid.getMessage());
        }
        if (duration.isZero() && !zeroAllowed) {
            throw error(key, "must be longer than 0s");
        }
        return duration;
    }

    /** A byte size, written as an integer or a string such as "256KiB". */
    int size(String key, int min, int max) throws ConfigException {
        Object value = raw(key).value();
        long bytes;
        if (value instanceof Long number) {
            bytes = number;
        } else if (value instanceof String text) {
            try {
                bytes = ValueSyntax.size(text);
            } catch (IllegalArgumentException invalid) {
                throw error(key, invalid.getMessage());
            }
        } else {
            throw error(key, "expected a size such as \"256KiB\" or a number of bytes, got " + RawValue.describeType(value));
        }
        if (bytes < min || bytes > max) {
            throw error(key, "must be between " + min + " and " + max + " bytes (got " + bytes + ")");
        }
        return (int) bytes;
    }

    List<String> strings(String key) throws ConfigException {
        List<?> list = typed(key, List.class, "an array of strings");
        List<String> strings = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String text)) {
                throw error(key, i, "expected an array of strings, but element " + (i + 1) + " is "
                        + RawValue.describeType(list.get(i)));
            }
            strings.add(text);
        }
        return strings;
    }

    /** A table whose values are all strings, in the order written. */
    Map<String, String> stringTable(String key) throws ConfigException {
        Map<?, ?> table = typed(key, Map.class, "a table");
        Map<String, String> strings = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : table.entrySet()) {
            if (!(entry.getValue() instanceof String text)) {
                // TOML reads an unquoted peer.example = "…" as a table "peer" holding a key "example".
                String hint = entry.getValue() instanceof Map ? " (write a name with dots in quotes: \"a.example\" = …)" : "";
                throw error(key, entry.getKey(), "expected a string for \"" + entry.getKey() + "\", got "
                        + RawValue.describeType(entry.getValue()) + hint);
            }
            strings.put(String.valueOf(entry.getKey()), text);
        }
        return strings;
    }

    /** One of the enum's constants, written in lower case ("bc", "dialback", "info"). */
    <E extends Enum<E>> E choice(String key, Class<E> type) throws ConfigException {
        String text = string(key);
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            String name = constant.name().toLowerCase(Locale.ROOT);
            if (name.equals(text)) {
                return constant;
            }
            names.add("\"" + name + "\"");
        }
        throw error(key, "must be one of " + String.join(", ", names) + " (got \"" + text + "\")");
    }

    /** An IP literal or "localhost" to listen on; checked by shape only, never resolved. */
    String bindAddress(String key) throws ConfigException {
        String text = string(key);
        if (!ValueSyntax.isBindAddress(text)) {
            throw error(key, "must be an IP address or localhost (got \"" + text + "\")");
        }
        return text;
    }

    /**
     * A string with {@code ${data_dir}} replaced by the data directory. Any other {@code ${…}} is an error
     * rather than left in place, so that a typo cannot become a literal directory name.
     */
    String interpolated(String key, String dataDir) throws ConfigException {
        String text = string(key);
        StringBuilder result = new StringBuilder();
        int from = 0;
        int start;
        while ((start = text.indexOf("${", from)) >= 0) {
            int end = text.indexOf('}', start);
            if (end < 0) {
                throw error(key, "unterminated ${ in \"" + text + "\"");
            }
            String variable = text.substring(start + 2, end);
            if (!variable.equals("data_dir")) {
                throw error(key, "unknown variable ${" + variable + "}; only ${data_dir} is supported");
            }
            result.append(text, from, start).append(dataDir);
            from = end + 1;
        }
        return result.append(text.substring(from)).toString();
    }
}
