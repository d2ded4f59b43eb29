package org.skerry.distribution;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.skerry.server.config.ConfigException;
import org.skerry.server.config.SkerryConfig;
import picocli.CommandLine;

/** {@code --config} and {@code --set}, shared by every command that needs the node's configuration. */
final class ConfigOptions {
    static final Path DEFAULT_FILE = Path.of("conf", "skerry.toml");

    @CommandLine.Option(names = "--config", paramLabel = "FILE",
            description = "Configuration file (default: conf/skerry.toml if present, else built-in defaults).")
    Path file;

    @CommandLine.Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one key, e.g. --set c2s.port=15222.")
    List<String> overrides = new ArrayList<>();

    /** The configuration, or null after printing the one-line reason (file, line, key) for exit code 2. */
    SkerryConfig loadOrReport() {
        try {
            return load();
        } catch (ConfigException e) {
            System.err.println("skerry: " + e.getMessage());
            return null;
        }
    }

    SkerryConfig load() throws ConfigException {
        Path chosen = file != null ? file : Files.exists(DEFAULT_FILE) ? DEFAULT_FILE : null;
        return SkerryConfig.load(chosen, overrides, System.getenv());
    }
}
