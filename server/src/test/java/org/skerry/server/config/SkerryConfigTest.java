package org.skerry.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/** Loading: defaults, the shipped file, a full file, and each override path with its precedence. */
class SkerryConfigTest {

    /** The server module's tests run in server/, the shipped file is at the repository root. */
    static final Path SHIPPED = Path.of("..", "conf", "skerry.toml");

    @TempDir
    Path dir;

    private Path write(String toml) throws IOException {
        Path file = dir.resolve("skerry.toml");
        Files.writeString(file, toml);
        return file;
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        SkerryConfig config = SkerryConfig.defaults();
        assertThat(config.domains()).containsExactly("localhost");
        assertThat(config.admins()).containsExactly("admin@localhost");
        assertThat(config.dataDir()).isEqualTo(Path.of("./data"));

        assertThat(config.storage()).isEqualTo(new StorageConfig("jdbc:h2:file:./data/skerry", "", "", 8, 4, 10000));

        TlsConfig tls = config.tls();
        assertThat(tls.certificate()).isEmpty();
        assertThat(tls.privateKey()).isEmpty();
        assertThat(tls.selfSigned()).isTrue();
        assertThat(tls.password()).isEmpty();
        assertThat(tls.provider()).isEqualTo(TlsConfig.TlsProvider.BC);
        assertThat(tls.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(tls.reloadInterval()).isEqualTo(Duration.ofSeconds(30));

        assertThat(config.c2s()).isEqualTo(new C2sConfig("0.0.0.0", 5222, 5223, true, true, false, false, 5,
                Duration.ofHours(1), 256 * 1024, 32, 64, Duration.ofMinutes(10), Duration.ofMinutes(5),
                Duration.ofSeconds(60), 200, 400, 256 * 1024, 64 * 1024, Duration.ofSeconds(300),
                Duration.ofSeconds(600), true, 20000, 1000, Duration.ofSeconds(30)));
        assertThat(config.auth()).isEqualTo(new AuthConfig(4096, 20, 10, Duration.ofMinutes(5)));
        assertThat(config.offline()).isEqualTo(new OfflineConfig(1000));
        assertThat(config.offline().enabled()).isTrue();
        assertThat(config.federation()).isEqualTo(new FederationConfig(true, "0.0.0.0", 5269, 5270,
                FederationConfig.Auth.STRICT, Duration.ofHours(72), 10000, List.of(), Duration.ofSeconds(30),
                Duration.ofSeconds(60), Duration.ofMinutes(10), 1000, true, List.of(), Duration.ofSeconds(1),
                Duration.ofMinutes(5), List.of(), List.of(), 50, 500, 1000, true, Map.of()));
        assertThat(config.http().bind()).isEqualTo(new HostPort("127.0.0.1", 5280));
        assertThat(config.http().enabled()).isTrue();
        assertThat(config.log().level()).isEqualTo(LogConfig.Level.INFO);
    }

    @Test
    void loadingNothingGivesTheDefaults() throws ConfigException {
        assertThat(SkerryConfig.load(null, List.of(), Map.of())).isEqualTo(SkerryConfig.defaults());
        assertThat(SkerryConfig.load(null, null, null)).isEqualTo(SkerryConfig.defaults());
    }

    @Test
    void shippedFileParsesToExactlyTheDefaults() throws ConfigException {
        assertThat(Files.isRegularFile(SHIPPED)).as("shipped file at %s", SHIPPED.toAbsolutePath()).isTrue();
        assertThat(SkerryConfig.load(SHIPPED, List.of(), Map.of())).isEqualTo(SkerryConfig.defaults());
    }

    @Test
    void shippedFileDocumentsEveryKeyAndNothingElse() throws IOException {
        TomlParseResult toml = Toml.parse(SHIPPED);
        assertThat(toml.errors()).isEmpty();
        Set<String> written = new TreeSet<>();
        for (String top : toml.keySet()) {
            if (toml.get(List.of(top)) instanceof TomlTable section && ConfigSchema.sections().contains(top)) {
                section.keySet().forEach(key -> written.add(top + "." + key));
            } else {
                written.add(top);
            }
        }
        Set<String> declared = new TreeSet<>();
        ConfigSchema.all().forEach(key -> declared.add(key.name()));
        assertThat(written).isEqualTo(declared);

        // A one-line comment right above every key (the hosts table's comment is above its header).
        List<String> lines = Files.readAllLines(SHIPPED);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.isBlank() && !line.startsWith("#") && !line.startsWith("[")) {
                assertThat(lines.get(i - 1)).as("comment above line %d: %s", i + 1, line).startsWith("# ");
            }
        }
    }

    @Test
    void fullFileSetsEveryKey() throws ConfigException, IOException {
        Path file = write("""
                domains = ["Example.ORG", "chat.example.org"]
                admins = ["Boss@example.org", "ops@chat.example.org"]
                data_dir = "/var/lib/skerry"

                [storage]
                url = "jdbc:postgresql://db.internal/skerry"
                user = "skerry"
                password = "s3cret"
                pool_size = 20
                worker_threads = 16
                queue_capacity = 50000

                [tls]
                certificate = "${data_dir}/fullchain.pem"
                private_key = "/etc/skerry/key.pem"
                password = ""
                provider = "jdk"
                protocols = ["TLSv1.3"]
                reload_interval = "0s"

                [c2s]
                bind = "::"
                port = 15222
                direct_tls_port = 0
                require_tls = false
                allow_plain = false
                allow_registration = true
                registration_limit = 2
                registration_window = "1d"
                max_stanza_size = 1048576
                max_depth = 16
                max_attributes = 32
                idle_timeout = "20m"
                ping_interval = "2m"
                keepalive_interval = "45s"
                stanza_rate = 50
                stanza_burst = 100
                write_buffer_high = "1MiB"
                write_buffer_low = "512KiB"
                resumption_timeout = "2m"
                max_resumption_timeout = "1h"
                stream_management = false
                max_connections = 500
                max_connections_per_ip = 10
                handshake_timeout = "500ms"

                [auth]
                scram_iterations = 10000
                max_failures_per_ip = 5
                max_failures_per_account = 3
                failure_window = "1h"

                [offline]
                max_messages_per_user = 0

                [federation]
                enabled = false
                bind = "127.0.0.2"
                port = 15269
                direct_tls_port = 15270
                auth = "dialback"
                queue_max_age = "7d"
                queue_max_per_peer = 500
                trust_anchors = ["/etc/skerry/private-ca.pem", "${data_dir}/peer-ca.pem"]
                connect_timeout = "10s"
                keepalive_interval = "20s"
                idle_timeout = "3m"
                max_inbound_links = 50
                dns = false
                dns_servers = ["127.0.0.53:53", "[::1]:5353"]
                retry_initial = "2s"
                retry_max = "1m"
                blocked_domains = ["Spam.Example"]
                max_inbound_links_per_ip = 5
                peer_stanza_rate = 100
                peer_stanza_burst = 200
                bidi = false

                [federation.hosts]
                "peer.example" = "127.0.0.3:15269"
                "Other.Example" = "[::1]:5269"

                [http]
                bind = "0.0.0.0:8080"

                [log]
                level = "debug"
                """);
        SkerryConfig config = SkerryConfig.load(file, List.of(), Map.of());

        assertThat(config.domains()).containsExactly("example.org", "chat.example.org");
        assertThat(config.admins()).containsExactly("boss@example.org", "ops@chat.example.org");
        assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/skerry"));
        assertThat(config.storage()).isEqualTo(new StorageConfig("jdbc:postgresql://db.internal/skerry", "skerry",
                "s3cret", 20, 16, 50000));
        assertThat(config.storage().toString()).doesNotContain("s3cret");
        assertThat(config.tls()).isEqualTo(new TlsConfig(Optional.of(Path.of("/var/lib/skerry/fullchain.pem")),
                Optional.of(Path.of("/etc/skerry/key.pem")), "", TlsConfig.TlsProvider.JDK, List.of("TLSv1.3"),
                Duration.ZERO));
        assertThat(config.c2s()).isEqualTo(new C2sConfig("::", 15222, 0, false, false, false, true, 2, Duration.ofDays(1),
                1048576, 16, 32, Duration.ofMinutes(20), Duration.ofMinutes(2), Duration.ofSeconds(45), 50, 100,
                1 << 20, 512 << 10, Duration.ofMinutes(2), Duration.ofHours(1), false, 500, 10,
                Duration.ofMillis(500)));
        assertThat(config.auth()).isEqualTo(new AuthConfig(10000, 5, 3, Duration.ofHours(1)));
        assertThat(config.offline().enabled()).isFalse();
        assertThat(config.federation()).isEqualTo(new FederationConfig(false, "127.0.0.2", 15269, 15270,
                FederationConfig.Auth.DIALBACK, Duration.ofDays(7), 500,
                List.of(Path.of("/etc/skerry/private-ca.pem"), Path.of("/var/lib/skerry/peer-ca.pem")),
                Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofMinutes(3), 50, false,
                List.of(new HostPort("127.0.0.53", 53), new HostPort("::1", 5353)), Duration.ofSeconds(2),
                Duration.ofMinutes(1), List.of("spam.example"), List.of(), 5, 100, 200, false,
                Map.of("peer.example", new HostPort("127.0.0.3", 15269), "other.example", new HostPort("::1", 5269))));
        assertThat(config.federation().hosts().keySet()).containsExactly("peer.example", "other.example");
        assertThat(config.http().bind()).isEqualTo(new HostPort("0.0.0.0", 8080));
        assertThat(config.log().level()).isEqualTo(LogConfig.Level.DEBUG);
        assertThat(config).isNotEqualTo(SkerryConfig.defaults());
    }

    @Test
    void fileOverridesOnlyTheKeysItNames() throws ConfigException, IOException {
        Path file = write("""
                [c2s]
                port = 15222
                """);
        SkerryConfig config = SkerryConfig.load(file, List.of(), Map.of());
        assertThat(config.c2s().port()).isEqualTo(15222);
        assertThat(config.c2s().directTlsPort()).isEqualTo(5223);
        assertThat(config.federation()).isEqualTo(SkerryConfig.defaults().federation());
    }

    @Test
    void setOverridesTakeTomlValuesAndBareText() throws ConfigException {
        SkerryConfig config = SkerryConfig.load(null, List.of(
                "c2s.port=15222",
                "domains=[\"a.test\",\"b.test\"]",
                "admins=[\"root@b.test\"]",
                "c2s.bind=\"127.0.0.2\"",
                "federation.bind=127.0.0.2",
                "c2s.allow_registration=true",
                "c2s.idle_timeout=90s",
                "c2s.max_stanza_size=1MiB",
                "c2s.write_buffer_high=\"512KiB\"",
                "c2s.write_buffer_low=65536",
                "tls.password=12345",
                "log.level=warn",
                "storage.user = sa"), Map.of());
        assertThat(config.c2s().port()).isEqualTo(15222);
        assertThat(config.domains()).containsExactly("a.test", "b.test");
        assertThat(config.admins()).containsExactly("root@b.test");
        assertThat(config.c2s().bind()).isEqualTo("127.0.0.2");
        assertThat(config.federation().bind()).isEqualTo("127.0.0.2");
        assertThat(config.c2s().allowRegistration()).isTrue();
        assertThat(config.c2s().idleTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(config.c2s().maxStanzaSize()).isEqualTo(1 << 20);
        assertThat(config.c2s().writeBufferHigh()).isEqualTo(512 << 10);
        assertThat(config.c2s().writeBufferLow()).isEqualTo(65536);
        assertThat(config.tls().password()).isEqualTo("12345");
        assertThat(config.log().level()).isEqualTo(LogConfig.Level.WARN);
        assertThat(config.storage().user()).isEqualTo("sa");
    }

    @Test
    void environmentVariablesOverrideKeys() throws ConfigException {
        SkerryConfig config = SkerryConfig.load(null, List.of(), Map.of(
                "SKERRY_FEDERATION_PORT", "15269",
                "SKERRY_C2S_ALLOW_REGISTRATION", "true",
                "SKERRY_DOMAINS", "a.test, b.test",
                "SKERRY_ADMINS", "admin@a.test",
                "SKERRY_DATA_DIR", "/srv/skerry",
                "SKERRY_FEDERATION_HOSTS", "{\"peer.test\" = \"127.0.0.9:5269\"}",
                "PATH", "/usr/bin",
                "HOME", "/root"));
        assertThat(config.federation().port()).isEqualTo(15269);
        assertThat(config.c2s().allowRegistration()).isTrue();
        assertThat(config.domains()).containsExactly("a.test", "b.test");
        assertThat(config.dataDir()).isEqualTo(Path.of("/srv/skerry"));
        assertThat(config.storage().url()).isEqualTo("jdbc:h2:file:/srv/skerry/skerry");
        assertThat(config.federation().hosts()).containsExactly(Map.entry("peer.test", new HostPort("127.0.0.9", 5269)));
    }

    @Test
    void precedenceIsDefaultsThenFileThenEnvironmentThenSet() throws ConfigException, IOException {
        Path file = write("""
                [c2s]
                port = 1111
                direct_tls_port = 1112
                idle_timeout = "1m"
                [federation]
                port = 2222
                """);
        Map<String, String> environment = Map.of("SKERRY_C2S_PORT", "3333", "SKERRY_C2S_DIRECT_TLS_PORT", "3334");
        SkerryConfig config = SkerryConfig.load(file, List.of("c2s.port=4444", "c2s.port=5555"), environment);
        assertThat(config.c2s().port()).as("--set beats env and file; the last --set wins").isEqualTo(5555);
        assertThat(config.c2s().directTlsPort()).as("env beats file").isEqualTo(3334);
        assertThat(config.c2s().idleTimeout()).as("file beats default").isEqualTo(Duration.ofMinutes(1));
        assertThat(config.federation().port()).isEqualTo(2222);
        assertThat(config.c2s().pingInterval()).as("default").isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void setAddsOneFederationHostToThoseOfTheFile() throws ConfigException, IOException {
        Path file = write("""
                [federation.hosts]
                "one.test" = "127.0.0.2:5269"
                "two.test" = "127.0.0.3:5269"
                """);
        SkerryConfig config = SkerryConfig.load(file, List.of(
                "federation.hosts.three.test=127.0.0.4:5269",
                "federation.hosts.\"two.test\"=\"localhost:15269\""), Map.of());
        assertThat(config.federation().hosts()).containsExactly(
                Map.entry("one.test", new HostPort("127.0.0.2", 5269)),
                Map.entry("two.test", new HostPort("localhost", 15269)),
                Map.entry("three.test", new HostPort("127.0.0.4", 5269)));
    }

    @Test
    void dataDirIsInterpolatedIntoTheStorageUrl() throws ConfigException, IOException {
        Path file = write("""
                data_dir = "/srv/node1"
                [storage]
                url = "jdbc:h2:file:${data_dir}/db;MODE=PostgreSQL;WRITE_DELAY=0"
                """);
        assertThat(SkerryConfig.load(file, List.of(), Map.of()).storage().url())
                .isEqualTo("jdbc:h2:file:/srv/node1/db;MODE=PostgreSQL;WRITE_DELAY=0");
        // The default URL follows a data_dir given on the command line.
        assertThat(SkerryConfig.load(null, List.of("data_dir=/tmp/n2"), Map.of()).storage().url())
                .isEqualTo("jdbc:h2:file:/tmp/n2/skerry");
        assertThat(SkerryConfig.load(null, List.of("storage.url=jdbc:h2:mem:x${data_dir}${data_dir}"), Map.of())
                .storage().url()).isEqualTo("jdbc:h2:mem:x./data./data");
    }

    @Test
    void adminsAreNormalisedAndDeduplicated() throws ConfigException {
        SkerryConfig config = SkerryConfig.load(null,
                List.of("domains=Example.Org", "admins=[\"Admin@example.org\", \"admin@EXAMPLE.org\"]"), Map.of());
        assertThat(config.domains()).containsExactly("example.org");
        assertThat(config.admins()).containsExactly("admin@example.org");
    }

    @Test
    void sectionsAreImmutable() {
        SkerryConfig config = SkerryConfig.defaults();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> config.domains().add("x"))
                .isInstanceOf(UnsupportedOperationException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> config.federation().hosts().put("x", null))
                .isInstanceOf(UnsupportedOperationException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> config.tls().protocols().clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void listenersMayShareAPortOnDistinctLoopbackAddresses() throws ConfigException {
        SkerryConfig config = SkerryConfig.load(null, List.of("c2s.bind=127.0.0.2", "federation.bind=127.0.0.3",
                "c2s.port=5269", "c2s.direct_tls_port=0", "federation.direct_tls_port=0"), Map.of());
        assertThat(config.c2s().port()).isEqualTo(config.federation().port());
    }
}
