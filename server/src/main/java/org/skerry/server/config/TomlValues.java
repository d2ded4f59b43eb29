package org.skerry.server.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/** Turns tomlj's tree into plain Java values, keeping the line of each array element and table entry. */
final class TomlValues {

    private TomlValues() {
    }

    /** A value read from a file at {@code line}, with the lines of its elements when it is an array or table. */
    static RawValue fromFile(Object value, String file, int line) {
        Map<Object, Origin> parts = new HashMap<>();
        if (value instanceof TomlArray array) {
            for (int i = 0; i < array.size(); i++) {
                parts.put(i, Origin.file(file, lineOr(array.inputPositionOf(i), line)));
            }
        } else if (value instanceof TomlTable table) {
            for (String key : table.keySet()) {
                parts.put(key, Origin.file(file, lineOr(table.inputPositionOf(List.of(key)), line)));
            }
        }
        return new RawValue(plain(value), Origin.file(file, line), parts);
    }

    static int lineOr(TomlPosition position, int fallback) {
        return position == null ? fallback : position.line();
    }

    /** TomlArray → List, TomlTable → Map (insertion order kept), everything else unchanged. */
    static Object plain(Object value) {
        if (value instanceof TomlArray array) {
            List<Object> list = new ArrayList<>(array.size());
            for (int i = 0; i < array.size(); i++) {
                list.add(plain(array.get(i)));
            }
            return list;
        } else if (value instanceof TomlTable table) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (String key : table.keySet()) {
                map.put(key, plain(table.get(List.of(key))));
            }
            return map;
        }
        return value;
    }

    /**
     * Parses {@code text} as one TOML value (what follows {@code =} on a line). Empty when it is not exactly
     * one valid value: a newline smuggled into an override must not be able to define other keys.
     */
    static Optional<Object> parseSingleValue(String text) {
        TomlParseResult result = Toml.parse("v = " + text);
        if (!result.errors().isEmpty() || result.size() != 1 || !result.contains(List.of("v"))) {
            return Optional.empty();
        }
        return Optional.of(plain(result.get(List.of("v"))));
    }
}
