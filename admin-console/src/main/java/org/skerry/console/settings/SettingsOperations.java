package org.skerry.console.settings;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.skerry.console.web.WebError;
import org.skerry.server.RegistrationSwitch;
import org.skerry.server.config.ConfigEntry;
import org.skerry.server.config.SkerryConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the settings page and {@code /api/v1/settings} do: show the effective configuration (secrets masked by
 * {@link SkerryConfig#entries()}) and switch in-band registration while the node runs.
 *
 * <p>The switch is not persisted. The configuration file is what the admin (or their deployment tool) owns and
 * what decides the state at start; writing the switch back into it would mean rewriting a hand-commented TOML file,
 * and keeping it elsewhere (the database, a file in data_dir) would make the file lie about the node after a restart.
 * So a switch lasts until the node restarts, and the page says so and names the key to change for good.
 */
public final class SettingsOperations {
    private static final Logger log = LoggerFactory.getLogger(SettingsOperations.class);

    /** In-band registration now, what the configuration says (the state after a restart), and whether they differ. */
    public record Registration(boolean open, boolean configured, boolean untilRestart) {}

    public record Settings(Registration registration, List<ConfigEntry> entries) {}

    private final SkerryConfig config;
    private final RegistrationSwitch registration;

    public SettingsOperations(SkerryConfig config, RegistrationSwitch registration) {
        this.config = config;
        this.registration = registration;
    }

    public Settings settings() {
        return new Settings(registration(), config.entries());
    }

    public Registration registration() {
        boolean open = registration.isOpen();
        return new Registration(open, registration.configured(), open != registration.configured());
    }

    /** Opens ({@code "true"}) or closes ({@code "false"}) in-band registration for new streams and requests at once. */
    public Registration setRegistration(String admin, String open) throws WebError {
        if (!open.equals("true") && !open.equals("false")) {
            throw WebError.badRequest("'open' must be true or false");
        }
        registration.set(Boolean.parseBoolean(open));
        log.info("{} {} in-band registration until the node restarts (c2s.allow_registration = {})", admin,
                registration.isOpen() ? "opened" : "closed", registration.configured());
        return registration();
    }

    /** A value as it would be written in the TOML file, for the page. */
    public static String toml(Object value) {
        if (value instanceof String text) {
            return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
        if (value instanceof List<?> list) {
            return list.stream().map(SettingsOperations::toml).collect(Collectors.joining(", ", "[", "]"));
        }
        if (value instanceof Map<?, ?> table) {
            return table.entrySet().stream().map(e -> toml(String.valueOf(e.getKey())) + " = " + toml(e.getValue()))
                    .collect(Collectors.joining(", ", "{", "}"));
        }
        return String.valueOf(value);
    }
}
