package org.skerry.server.config;

import java.util.Map;

/**
 * A configuration value before it is typed: a plain Java object as TOML produces it ({@code String},
 * {@code Long}, {@code Double}, {@code Boolean}, {@code List}, {@code Map}, or a date/time), together with
 * where it came from. Parts of an array (by index) or of a table (by key) may carry their own origin, so that
 * a bad element in a multi-line array is reported at its own line.
 */
record RawValue(Object value, Origin origin, Map<Object, Origin> partOrigins) {

    RawValue(Object value, Origin origin) {
        this(value, origin, Map.of());
    }

    Origin originOf(Object part) {
        return partOrigins.getOrDefault(part, origin);
    }

    /** "an integer", "a string" … for messages of the form "expected X, got Y". */
    static String describeType(Object value) {
        if (value instanceof String) {
            return "a string";
        } else if (value instanceof Long) {
            return "an integer";
        } else if (value instanceof Double) {
            return "a float";
        } else if (value instanceof Boolean) {
            return "a boolean";
        } else if (value instanceof java.util.List) {
            return "an array";
        } else if (value instanceof Map) {
            return "a table";
        }
        return "a date/time";
    }
}
