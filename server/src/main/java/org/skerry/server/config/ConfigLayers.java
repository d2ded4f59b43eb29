package org.skerry.server.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.tomlj.Toml;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * The untyped values of every key, built up in order of precedence: built-in defaults, then the file, then
 * environment variables, then {@code --set} arguments. Each layer replaces whole values, except that
 * {@code --set federation.hosts.DOMAIN=host:port} adds or replaces one entry of the hosts table.
 *
 * <p>Only key names are checked here (unknown keys are errors); value types and ranges are checked by
 * {@link ResolvedValues} once all layers are applied, so that the winning value is the one checked.
 */
final class ConfigLayers {

    private final Map<String, RawValue> values = new LinkedHashMap<>();

    ConfigLayers() {
        for (ConfigSchema.Key key : ConfigSchema.all()) {
            values.put(key.name(), new RawValue(key.defaultValue(), Origin.DEFAULT));
        }
    }

    Map<String, RawValue> values() {
        return values;
    }

    void applyFile(Path file) throws ConfigException {
        String name = file.toString();
        String source;
        try {
            source = Files.readString(file);
        } catch (CharacterCodingException notUtf8) {
            throw Origin.file(name, 0).error("", "is not UTF-8 text, as TOML requires", notUtf8);
        } catch (NoSuchFileException missing) {
            throw Origin.file(name, 0).error("", "file not found", missing);
        } catch (IOException unreadable) {
            throw Origin.file(name, 0).error("", "cannot read the file: " + unreadable, unreadable);
        }
        TomlParseResult toml = Toml.parse(source);
        Optional<TomlParseError> syntaxError = toml.errors().stream()
                .min(Comparator.comparingInt((TomlParseError e) -> e.position().line())
                        .thenComparingInt(e -> e.position().column()));
        if (syntaxError.isPresent()) {
            TomlParseError error = syntaxError.get();
            throw Origin.file(name, error.position().line()).error("", error.getMessage(), error);
        }
        List<ConfigException> unknownKeys = new ArrayList<>();
        for (String topKey : toml.keySet()) {
            Object value = toml.get(List.of(topKey));
            int line = TomlValues.lineOr(toml.inputPositionOf(List.of(topKey)), 0);
            if (ConfigSchema.find(topKey).isPresent()) {
                values.put(topKey, TomlValues.fromFile(value, name, line, source));
            } else if (ConfigSchema.sections().contains(topKey)) {
                readSection(topKey, value, name, line, source, unknownKeys);
            } else if (value instanceof TomlTable) {
                unknownKeys.add(Origin.file(name, line).error(topKey,
                        "unknown section [" + topKey + "]" + ConfigSchema.suggestionFor(topKey)));
            } else {
                unknownKeys.add(Origin.file(name, line).error(topKey, "unknown key" + ConfigSchema.suggestionFor(topKey)));
            }
        }
        // Report the first problem in the file, as a compiler would.
        Optional<ConfigException> first = unknownKeys.stream().min(Comparator.comparingInt(ConfigException::line));
        if (first.isPresent()) {
            throw first.get();
        }
    }

    private void readSection(String section, Object value, String file, int line, String source,
                             List<ConfigException> problems) {
        if (!(value instanceof TomlTable table)) {
            problems.add(Origin.file(file, line).error(section,
                    "must be a [" + section + "] section, got " + RawValue.describeType(TomlValues.plain(value))));
            return;
        }
        for (String localKey : table.keySet()) {
            String key = section + "." + localKey;
            int keyLine = TomlValues.lineOr(table.inputPositionOf(List.of(localKey)), line);
            if (ConfigSchema.find(key).isPresent()) {
                values.put(key, TomlValues.fromFile(table.get(List.of(localKey)), file, keyLine, source));
            } else {
                problems.add(Origin.file(file, keyLine).error(key, "unknown key" + hintFor(key)));
            }
        }
    }

    /** Typo suggestions, and the classic mistake of writing a top-level key below a [section] header. */
    private static String hintFor(String key) {
        String suggestion = ConfigSchema.suggestionFor(key);
        if (!suggestion.isEmpty()) {
            return suggestion;
        }
        String localKey = key.substring(key.indexOf('.') + 1);
        if (ConfigSchema.find(localKey).filter(k -> k.section().isEmpty()).isPresent()) {
            return " (" + localKey + " is a top-level key: write it above the first [section] header)";
        }
        return "";
    }

    /**
     * Applies every {@code SKERRY_*} variable. They are applied in name order so that the result does not
     * depend on the iteration order of the environment map; each key has only one variable anyway.
     */
    void applyEnvironment(Map<String, String> environment) throws ConfigException {
        for (Map.Entry<String, String> variable : new TreeMap<>(environment).entrySet()) {
            String name = variable.getKey();
            if (!name.startsWith(ConfigSchema.ENVIRONMENT_PREFIX)) {
                continue;
            }
            Origin origin = Origin.environment(name);
            String key = ConfigSchema.keyForEnvironmentVariable(name).orElseThrow(() -> origin.error(name,
                    "unknown configuration variable" + ConfigSchema.suggestionForEnvironmentVariable(name)));
            applyOverride(key, variable.getValue(), origin);
        }
    }

    /** Applies {@code key=value} arguments in order, so that a later one wins over an earlier one. */
    void applySetOverrides(List<String> overrides) throws ConfigException {
        for (String override : overrides) {
            Origin origin = Origin.commandLine();
            int equals = override.indexOf('=');
            if (equals < 0) {
                throw origin.error(override.trim(), "expected key=value");
            }
            String key = override.substring(0, equals).trim();
            String valueText = override.substring(equals + 1);
            if (key.startsWith(ConfigSchema.FEDERATION_HOSTS + ".")) {
                applyHostEntry(unquote(key.substring(ConfigSchema.FEDERATION_HOSTS.length() + 1)), valueText, origin);
            } else if (ConfigSchema.find(key).isPresent()) {
                applyOverride(key, valueText, origin);
            } else {
                throw origin.error(key, "unknown key" + ConfigSchema.suggestionFor(key));
            }
        }
    }

    private void applyOverride(String key, String text, Origin origin) throws ConfigException {
        values.put(key, new RawValue(OverrideValues.parse(key, ConfigSchema.get(key).kind(), text, origin), origin));
    }

    /** {@code federation.hosts.peer.example=127.0.0.1:5269}: one entry, added to the hosts from the lower layers. */
    private void applyHostEntry(String domain, String text, Origin origin) throws ConfigException {
        String key = ConfigSchema.FEDERATION_HOSTS + "." + domain;
        if (domain.isEmpty()) {
            throw origin.error(key, "expected federation.hosts.DOMAIN=host:port");
        }
        Object target = OverrideValues.parse(key, ConfigSchema.Kind.STRING, text, origin);
        RawValue current = values.get(ConfigSchema.FEDERATION_HOSTS);
        Map<String, Object> hosts = new LinkedHashMap<>();
        Map<Object, Origin> parts = new LinkedHashMap<>();
        if (current.value() instanceof Map<?, ?> table) {
            table.forEach((entry, value) -> {
                hosts.put(String.valueOf(entry), value);
                parts.put(String.valueOf(entry), current.originOf(entry));
            });
        }
        hosts.put(domain, target);
        parts.put(domain, origin);
        values.put(ConfigSchema.FEDERATION_HOSTS, new RawValue(hosts, current.origin(), parts));
    }

    private static String unquote(String text) {
        if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
            return text.substring(1, text.length() - 1);
        }
        return text;
    }
}
