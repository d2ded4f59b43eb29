package org.skerry.server.storage;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Prepares an H2 JDBC URL for Skerry: adds the settings that make H2 speak the same SQL as PostgreSQL
 * and commit durably, and finds the file a file database lives in.
 */
final class H2Url {
    /**
     * Settings every Skerry H2 database needs, in the order they are appended.
     * WRITE_DELAY=0: with H2's default of 500 ms, rows committed just before a crash are lost.
     * FILE_LOCK=FS: one process at a time, by an OS lock on the database file that the kernel releases when the
     * owner dies, so a node restarted right after a kill -9 opens at once. (H2 2.3 picks FS by itself, but FILE
     * under AUTO_SERVER: a .lock.db that a killed owner leaves makes the next open wait for it to go stale; and NO
     * would let the CLI and a running node write the same file.)
     */
    static final Map<String, String> REQUIRED_SETTINGS = requiredSettings();

    /**
     * Extra settings that are appended only when absent, and may be overridden by the admin.
     * H2's default lock timeout of 1 s is too short for several workers queueing on one user's row lock.
     */
    static final Map<String, String> DEFAULT_SETTINGS = Map.of("LOCK_TIMEOUT", "10000");

    /**
     * Appended only when absent, and only to a file database, which {@link H2Syncer} forces to disk every second.
     *
     * <p>H2 writes every commit as a new chunk of the file, and reuses the space of a chunk that no longer holds live
     * data only once the chunk is older than RETENTION_TIME (45 s by default): a young chunk's replacements may not
     * have reached the disk yet. Under a steady stream of small commits (the federation queue commits an insert and
     * a delete for every relayed stanza) the file then holds 45 s of chunks, about 18 KB each: 0.8 GB at 1000
     * commits/s, 0.68 GB per node in the load benchmark's federation run, and every commit pays for keeping track of
     * them. Such a chunk is replaced within milliseconds of being written, and its replacement is on the disk within
     * about a second, so 5 s leaves a margin of several seconds for a slow disk. (A chunk that stays live for long and
     * is then replaced can be reused right away, whatever RETENTION_TIME is; until the next sync its replacement may
     * still be only in the OS's cache, a second or two now instead of up to Linux's 30 s write-back.)
     * H2 keeps the value in the database file.
     */
    static final Map<String, String> FILE_DEFAULT_SETTINGS = Map.of("RETENTION_TIME", "5000");

    private static final String PREFIX = "jdbc:h2:";

    private H2Url() {
    }

    private static Map<String, String> requiredSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("MODE", "PostgreSQL");
        settings.put("DATABASE_TO_LOWER", "TRUE");
        settings.put("DEFAULT_NULL_ORDERING", "HIGH");
        settings.put("WRITE_DELAY", "0");
        settings.put("FILE_LOCK", "FS");
        return Map.copyOf(settings);
    }

    static boolean isH2(String jdbcUrl) {
        return jdbcUrl.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    /**
     * An embedded H2 file: the databases that get {@link #FILE_DEFAULT_SETTINGS} and {@link H2Syncer}, always both,
     * since the short retention is safe only with the sync.
     */
    static boolean isFileDatabase(String jdbcUrl) {
        return isH2(jdbcUrl) && filePath(jdbcUrl).isPresent();
    }

    /**
     * Returns the URL with the required settings appended where missing.
     *
     * @throws IllegalArgumentException if the URL sets one of the required settings to another value,
     *     because running with, say, WRITE_DELAY=500 would silently lose acknowledged data
     */
    static String withRequiredSettings(String jdbcUrl) {
        String[] parts = jdbcUrl.split(";", -1);
        Map<String, String> present = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].trim();
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("H2 URL setting without a value: " + part);
            }
            present.put(part.substring(0, eq).trim().toUpperCase(Locale.ROOT), part.substring(eq + 1).trim());
        }
        StringBuilder url = new StringBuilder(stripTrailingSemicolons(jdbcUrl));
        for (String key : new String[] {"MODE", "DATABASE_TO_LOWER", "DEFAULT_NULL_ORDERING", "WRITE_DELAY", "FILE_LOCK"}) {
            String required = REQUIRED_SETTINGS.get(key);
            String given = present.get(key);
            if (given == null) {
                url.append(';').append(key).append('=').append(required);
            } else if (!given.equalsIgnoreCase(required)) {
                throw new IllegalArgumentException(
                        "H2 URL sets " + key + "=" + given + " but Skerry requires " + key + "=" + required);
            }
        }
        appendAbsent(url, present, DEFAULT_SETTINGS);
        if (isFileDatabase(jdbcUrl)) {
            appendAbsent(url, present, FILE_DEFAULT_SETTINGS);
        }
        return url.toString();
    }

    private static void appendAbsent(StringBuilder url, Map<String, String> present, Map<String, String> settings) {
        settings.forEach((key, value) -> {
            if (!present.containsKey(key)) {
                url.append(';').append(key).append('=').append(value);
            }
        });
    }

    private static String stripTrailingSemicolons(String url) {
        int end = url.length();
        while (end > 0 && url.charAt(end - 1) == ';') {
            end--;
        }
        return url.substring(0, end);
    }

    /**
     * The database path of a file URL ({@code jdbc:h2:file:PATH} or {@code jdbc:h2:PATH}), without H2's
     * file suffix; empty for in-memory and server ({@code tcp:}, {@code ssl:}) URLs.
     */
    static Optional<Path> filePath(String jdbcUrl) {
        String rest = jdbcUrl.substring(PREFIX.length());
        int semicolon = rest.indexOf(';');
        String location = semicolon < 0 ? rest : rest.substring(0, semicolon);
        String lower = location.toLowerCase(Locale.ROOT);
        if (lower.startsWith("mem:") || lower.startsWith("tcp:") || lower.startsWith("ssl:")
                || lower.startsWith("zip:")) {
            return Optional.empty();
        }
        if (lower.startsWith("file:")) {
            location = location.substring("file:".length());
        } else if (lower.startsWith("split:") || lower.startsWith("nio")) {
            return Optional.empty(); // exotic file systems: let H2 handle them as given
        }
        if (location.startsWith("~")) {
            location = System.getProperty("user.home") + location.substring(1);
        }
        return location.isEmpty() ? Optional.empty() : Optional.of(Path.of(location));
    }

    /**
     * H2 refuses a path that is implicitly relative ({@code data/skerry}); it wants {@code ./data/skerry}.
     * An admin who writes the former means the latter, so say it for them.
     */
    static String withExplicitRelativePath(String jdbcUrl) {
        Optional<Path> path = filePath(jdbcUrl);
        if (path.isEmpty() || path.get().isAbsolute()) {
            return jdbcUrl;
        }
        String rest = jdbcUrl.substring(PREFIX.length());
        boolean hasFilePrefix = rest.regionMatches(true, 0, "file:", 0, 5);
        String location = hasFilePrefix ? rest.substring(5) : rest;
        if (location.startsWith(".") || location.startsWith("~")) {
            return jdbcUrl;
        }
        return PREFIX + (hasFilePrefix ? rest.substring(0, 5) : "") + "./" + location;
    }
}
