package org.skerry.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The effective configuration as an admin sees it: every key, its origin, and no secret in clear. */
class ConfigEntriesTest {
    @TempDir Path dir;

    @Test
    void everyKeyWithWhereItCameFrom() throws Exception {
        Path file = dir.resolve("skerry.toml");
        Files.writeString(file, "domains = [\"a.test\"]\nadmins = [\"admin@a.test\"]\n\n[c2s]\nport = 15222\n"
                + "[federation.hosts]\n\"peer.test\" = \"127.0.0.1:5269\"\n");
        SkerryConfig config = SkerryConfig.load(file, List.of("c2s.direct_tls_port=15223",
                "federation.hosts.late.test=127.0.0.1:5270"), Map.of("SKERRY_LOG_LEVEL", "debug"));
        Map<String, ConfigEntry> entries = byKey(config);

        assertThat(entries).hasSize(ConfigSchema.all().size());
        assertThat(entries.get("c2s.port")).isEqualTo(new ConfigEntry("c2s.port", 15222L, "file", file + ":5", false));
        assertThat(entries.get("c2s.direct_tls_port").source()).isEqualTo("--set");
        assertThat(entries.get("log.level")).isEqualTo(
                new ConfigEntry("log.level", "debug", "environment", "SKERRY_LOG_LEVEL", false));
        assertThat(entries.get("c2s.allow_registration")).isEqualTo(
                new ConfigEntry("c2s.allow_registration", false, "default", "", false));
        assertThat(entries.get("federation.hosts").value()).isEqualTo(
                Map.of("peer.test", "127.0.0.1:5269", "late.test", "127.0.0.1:5270"));
        assertThat(entries.get("federation.hosts").source()).as("the last layer that added to it").isEqualTo("--set");
    }

    @Test
    void secretsAreMasked() throws IOException, ConfigException {
        SkerryConfig config = SkerryConfig.load(null, List.of("storage.password=db-secret-1",
                "tls.password=tls-secret-2", "tls.certificate=/etc/x/fullchain.pem", "tls.private_key=/etc/x/key.pem",
                "storage.url=jdbc:postgresql://skerry:url-secret-3@db.test/skerry?ssl=true&password=url-secret-4",
                "http.metrics_token=\"token-secret-5\""),
                Map.of());
        Map<String, ConfigEntry> entries = byKey(config);
        assertThat(entries.get("storage.password")).isEqualTo(
                new ConfigEntry("storage.password", ConfigEntry.MASK, "--set", "", true));
        assertThat(entries.get("tls.password").value()).isEqualTo(ConfigEntry.MASK);
        assertThat(entries.get("tls.private_key").secret()).isTrue();
        assertThat(entries.get("http.metrics_token").value()).isEqualTo(ConfigEntry.MASK);
        assertThat(entries.get("storage.url").value()).isEqualTo(
                "jdbc:postgresql://skerry:" + ConfigEntry.MASK + "@db.test/skerry?ssl=true&password=" + ConfigEntry.MASK);
        assertThat(config.entries().toString()).doesNotContain("secret-");
        // Unset secrets stay visibly unset.
        assertThat(byKey(SkerryConfig.defaults()).get("storage.password").value()).isEqualTo("");
    }

    private static Map<String, ConfigEntry> byKey(SkerryConfig config) {
        return config.entries().stream().collect(Collectors.toMap(ConfigEntry::key, Function.identity()));
    }
}
