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
    static RawValue fromFile(Object value, String file, int line, String source) {
        Map<Object, Origin> parts = new HashMap<>();
        if (value instanceof TomlArray array) {
            for (int i = 0; i < array.size(); i++) {
                parts.put(i, Origin.file(file, elementLine(source, array.inputPositionOf(i), line)));
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

    /**
     * tomlj places an array element where the preceding {@code [} or {@code ,} ended, not where the element
     * starts; in a multi-line array that is the previous line. Skip the whitespace and comments from there to
     * find the line the admin actually sees the element on.
     */
    static int elementLine(String source, TomlPosition position, int fallback) {
        if (position == null) {
            return fallback;
        }
        int line = 1;
        int offset = 0;
        while (line < position.line() && offset < source.length()) {
            if (source.charAt(offset++) == '\n') {
                line++;
            }
        }
        offset += position.column() - 1;
        while (offset < source.length()) {
            char c = source.charAt(offset);
            if (c == '#') {
                while (offset < source.length() && source.charAt(offset) != '\n') {
                    offset++;
                }
            } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                if (c == '\n') {
                    line++;
                }
                offset++;
            } else {
                return line;
            }
        }
        return position.line();
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
