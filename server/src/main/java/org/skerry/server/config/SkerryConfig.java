package org.skerry.server.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The node's configuration: typed, validated and immutable. Built from the built-in defaults, then
 * {@code conf/skerry.toml}, then {@code SKERRY_<SECTION>_<KEY>} environment variables, then
 * {@code --set key=value} arguments, each overriding the one before. Any unknown key, wrong type or bad value
 * fails the whole load with a {@link ConfigException} that names the key and where it was set; a node never
 * starts on a configuration it half understood.
 *
 * <p>The keys and their meaning are documented in the shipped {@code conf/skerry.toml}.
 */
public final class SkerryConfig {

    private final List<String> domains;
    private final List<String> admins;
    private final Path dataDir;
    private final StorageConfig storage;
    private final TlsConfig tls;
    private final C2sConfig c2s;
    private final AuthConfig auth;
    private final OfflineConfig offline;
    private final FederationConfig federation;
    private final HttpConfig http;
    private final LogConfig log;
    /** Every key's winning value and origin, for {@link #entries()}; not part of equality. */
    private final Map<String, RawValue> raw;

    private SkerryConfig(ResolvedValues v, Map<String, RawValue> raw) throws ConfigException {
        this.raw = new LinkedHashMap<>(raw);
        String dataDirText = v.nonEmptyString("data_dir");
        try {
            this.dataDir = Path.of(dataDirText);
        } catch (InvalidPathException invalid) {
            throw v.error("data_dir", "is not a valid path: " + invalid.getMessage());
        }
        this.domains = Identities.domains(v);
        this.admins = Identities.admins(v, domains);
        this.storage = StorageConfig.from(v, dataDirText);
        this.tls = TlsConfig.from(v, dataDirText);
        this.c2s = C2sConfig.from(v);
        this.auth = AuthConfig.from(v);
        this.offline = OfflineConfig.from(v);
        this.federation = FederationConfig.from(v, domains, dataDirText);
        this.http = HttpConfig.from(v);
        this.log = LogConfig.from(v);
        v.requireAllRead();
        Listeners.requireDistinctPorts(this, v);
    }

    /** The embedded defaults: what {@code ./skerry start} uses without a configuration file. */
    public static SkerryConfig defaults() {
        try {
            ConfigLayers layers = new ConfigLayers();
            return new SkerryConfig(new ResolvedValues(layers.values()), layers.values());
        } catch (ConfigException broken) {
            throw new IllegalStateException("the built-in defaults are invalid: " + broken.getMessage(), broken);
        }
    }

    /**
     * Loads the configuration.
     *
     * @param file         the TOML file, or null for the defaults only
     * @param setOverrides {@code key=value} arguments of {@code --set}, later ones winning; the value is a TOML
     *                     value, or bare text for keys that take text ({@code c2s.bind=127.0.0.2}), or
     *                     comma-separated text for lists; {@code federation.hosts.DOMAIN=host:port} adds one host
     * @param environment  the process environment; every {@code SKERRY_*} variable must name a key
     * @throws ConfigException naming the first key that is unknown or invalid, and where it was set
     */
    public static SkerryConfig load(Path file, List<String> setOverrides, Map<String, String> environment)
            throws ConfigException {
        ConfigLayers layers = new ConfigLayers();
        if (file != null) {
            layers.applyFile(file);
        }
        layers.applyEnvironment(environment == null ? Map.of() : environment);
        layers.applySetOverrides(setOverrides == null ? List.of() : setOverrides);
        return new SkerryConfig(new ResolvedValues(layers.values()), layers.values());
    }

    /** Virtual hosts served by this node: non-empty, lower-cased, valid domain names, no duplicates. */
    public List<String> domains() {
        return domains;
    }

    /** Admin bare JIDs, normalised; each on one of {@link #domains()}. */
    public List<String> admins() {
        return admins;
    }

    /** Where the embedded database, generated certificate and other node state live. */
    public Path dataDir() {
        return dataDir;
    }

    public StorageConfig storage() {
        return storage;
    }

    public TlsConfig tls() {
        return tls;
    }

    public C2sConfig c2s() {
        return c2s;
    }

    public AuthConfig auth() {
        return auth;
    }

    public OfflineConfig offline() {
        return offline;
    }

    public FederationConfig federation() {
        return federation;
    }

    public HttpConfig http() {
        return http;
    }

    public LogConfig log() {
        return log;
    }

    /**
     * Every key in schema order with its effective value and where it came from (default, file line, variable,
     * {@code --set}); passwords and other secrets are masked, so this is safe to show an admin or a log.
     */
    public List<ConfigEntry> entries() {
        List<ConfigEntry> entries = new ArrayList<>(raw.size());
        raw.forEach((key, value) -> entries.add(ConfigEntry.of(key, value)));
        return entries;
    }

    private List<Object> fields() {
        List<Object> fields = new ArrayList<>();
        fields.add(domains);
        fields.add(admins);
        fields.add(dataDir);
        fields.add(storage);
        fields.add(tls);
        fields.add(c2s);
        fields.add(auth);
        fields.add(offline);
        fields.add(federation);
        fields.add(http);
        fields.add(log);
        return fields;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SkerryConfig config && fields().equals(config.fields());
    }

    @Override
    public int hashCode() {
        return Objects.hash(fields().toArray());
    }

    @Override
    public String toString() {
        return "SkerryConfig[domains=" + domains + ", admins=" + admins + ", dataDir=" + dataDir + ", storage="
                + storage + ", tls=" + tls + ", c2s=" + c2s + ", auth=" + auth + ", offline=" + offline
                + ", federation=" + federation + ", http=" + http + ", log=" + log + "]";
    }
}
