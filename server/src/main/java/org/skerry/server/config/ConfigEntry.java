package org.skerry.server.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One key of the effective configuration as an admin may see it: the value as written (before
 * {@code ${data_dir}} is replaced), where it came from, and whether it is a secret. A secret's value never leaves
 * this class: it is replaced by {@link #MASK} (or stays empty when unset, since "not set" is no secret).
 *
 * @param key    the dotted key, e.g. {@code c2s.allow_registration}
 * @param value  a String, Long, Boolean, List or Map as TOML gives it, with secrets masked
 * @param source {@code default}, {@code file}, {@code environment} or {@code --set}
 * @param where  the file and line, or the variable name; empty for defaults and {@code --set}
 * @param secret true when the value is masked
 */
public record ConfigEntry(String key, Object value, String source, String where, boolean secret) {
    public static final String MASK = "********";

    /**
     * Names that hold credentials: storage.password, tls.password, http.metrics_token, anything called secret or
     * key.
     */
    private static final List<String> SECRET_WORDS = List.of("password", "secret", "key", "token");
    /** Credentials that a JDBC URL may carry: {@code password=...} parameters and {@code user:password@}. */
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)((?:password|pwd)=)[^&;]*");
    private static final Pattern URL_USER_INFO = Pattern.compile("(//[^/:@]*:)[^/@]*@");

    static ConfigEntry of(String key, RawValue raw) {
        Origin origin = raw.origin();
        if (raw.value() instanceof Map<?, ?> table && !table.isEmpty()) {
            // A table built from several layers (file, then --set federation.hosts.X=...) came from the last one.
            origin = raw.originOf(List.copyOf(table.keySet()).get(table.size() - 1));
        }
        String where = switch (origin.source()) {
            case FILE -> origin.where() + (origin.line() > 0 ? ":" + origin.line() : "");
            case ENVIRONMENT -> origin.where();
            case DEFAULT, COMMAND_LINE -> "";
        };
        String source = switch (origin.source()) {
            case DEFAULT -> "default";
            case FILE -> "file";
            case ENVIRONMENT -> "environment";
            case COMMAND_LINE -> "--set";
        };
        boolean secret = isSecret(key);
        Object value = raw.value();
        if (secret) {
            value = "".equals(value) ? "" : MASK;
        } else if (value instanceof String text && key.endsWith(".url")) {
            value = URL_USER_INFO.matcher(URL_PASSWORD.matcher(text).replaceAll("$1" + MASK))
                    .replaceAll("$1" + MASK + "@");
        }
        return new ConfigEntry(key, value, source, where, secret);
    }

    private static boolean isSecret(String key) {
        String name = key.substring(key.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return SECRET_WORDS.stream().anyMatch(name::contains);
    }
}
