package org.skerry.server.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

import io.netty.handler.ssl.SslContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the node's certificate and the TLS contexts built from it, and keeps them current.
 *
 * <p>At start it loads the configured PEM or PKCS#12 files, or generates (first start) or reuses a self-signed
 * certificate in {@code data_dir/tls}. Every {@link TlsSettings#reloadInterval()} it checks whether the files
 * changed (a renewed Let's Encrypt certificate, say) and, if the new pair is valid, swaps every context at
 * once. Listeners and new connections see the new certificate; connections already open keep the context
 * they were created with. A broken replacement is logged and ignored until the files change again, so a
 * renewal half-way through copying never takes the node's TLS down.
 *
 * <p>Thread-safe: the getters read one volatile snapshot; reloads are serialised.
 */
public final class TlsManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TlsManager.class);

    /** More distinct trust configurations than this means a caller builds a new factory per connection. */
    private static final int MAX_CACHED_CLIENT_CONTEXTS = 16;

    /** Stands for "no TrustManagerFactory: trust anything" as a cache key. */
    private static final Object TRUST_ANY = new Object();

    /** Everything derived from one certificate, swapped as a unit so that no caller mixes two generations. */
    private record Generation(KeyMaterial material, SslContext server, SslContext serverRequestingClientCert,
                              Map<Object, SslContext> clientContexts) {}

    private final TlsSettings settings;
    private final Clock clock;
    private final Object reloadLock = new Object();
    private final List<Runnable> reloadListeners = new CopyOnWriteArrayList<>();
    private volatile Generation current;
    /** The files as last loaded or last tried; a failed attempt is not retried until they change again. */
    private WatchedFiles lastSeen;
    private ScheduledFuture<?> reloadTask;

    private TlsManager(TlsSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Loads or creates the certificate, builds the contexts and, when {@code reloadInterval} is not zero,
     * schedules the change check on {@code scheduler} (which may be null when reloading is disabled).
     *
     * @throws TlsConfigException when the configured files cannot be used; the node should not start
     */
    public static TlsManager start(TlsSettings settings, ScheduledExecutorService scheduler) throws TlsConfigException {
        return start(settings, scheduler, Clock.systemUTC());
    }

    /** As {@link #start(TlsSettings, ScheduledExecutorService)}, with a clock for expiry tests. */
    static TlsManager start(TlsSettings settings, ScheduledExecutorService scheduler, Clock clock)
            throws TlsConfigException {
        Objects.requireNonNull(settings, "settings");
        TlsManager manager = new TlsManager(settings, clock);
        manager.reloadNow();
        long intervalMillis = settings.reloadInterval().toMillis();
        if (intervalMillis > 0) {
            Objects.requireNonNull(scheduler, "a scheduler is needed when tls.reload_interval is set");
            manager.reloadTask = scheduler.scheduleWithFixedDelay(
                    manager::checkForChanges, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        }
        return manager;
    }

    /** The settings this manager was started with. */
    public TlsSettings settings() {
        return settings;
    }

    /** The current server context for c2s (no client certificate requested). */
    public SslContext serverContext() {
        return current.server();
    }

    /**
     * The current server context for s2s: asks the peer for a certificate, does not require one, and accepts any
     * at the TLS level. The caller must verify {@code SSLSession.getPeerCertificates()} against the peer's
     * domain before trusting it (SASL EXTERNAL), or fall back to dialback.
     */
    public SslContext serverContextRequestingClientCert() {
        return current.serverRequestingClientCert();
    }

    /**
     * A client context for outbound s2s, presenting our certificate. {@code trust} decides which server
     * certificates the handshake accepts; {@code null} accepts any (for dialback-only peers and tests; the
     * caller then verifies the certificate itself). Host names are not checked by TLS: see
     * {@link SslContexts#client}. Contexts are cached per factory instance and certificate generation, so
     * pass the same factory each time.
     */
    public SslContext clientContext(TrustManagerFactory trust) throws SSLException {
        Generation generation = current;
        Object key = trust == null ? TRUST_ANY : trust;
        SslContext cached = generation.clientContexts().get(key);
        if (cached != null) {
            return cached;
        }
        SslContext built = SslContexts.client(generation.material(), settings.provider(), settings.protocols(), trust);
        if (generation.clientContexts().size() >= MAX_CACHED_CLIENT_CONTEXTS) {
            generation.clientContexts().clear();
        }
        SslContext raced = generation.clientContexts().putIfAbsent(key, built);
        return raced != null ? raced : built;
    }

    /** The current leaf certificate. */
    public X509Certificate certificate() {
        return current.material().leaf();
    }

    /** The current certificate chain, leaf first. */
    public List<X509Certificate> certificateChain() {
        return current.material().chain();
    }

    /**
     * The current key and chain as an in-memory PKCS#12 key store under alias {@code skerry}, for listeners that
     * are not Netty (the HTTP listener). Build a fresh one after each reload.
     */
    public KeyStore keyStore(char[] password) {
        KeyMaterial material = current.material();
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("skerry", material.privateKey(), password,
                    material.chain().toArray(new Certificate[0]));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Cannot put the node's certificate into a key store: " + e.getMessage(), e);
        }
    }

    /** Runs after every successful reload (not at start), on the thread that reloaded. */
    public void addReloadListener(Runnable listener) {
        reloadListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Loads the certificate now, whether or not the files changed, and swaps the contexts if it is valid.
     * In self-signed mode this also replaces a certificate that is about to expire or names other domains.
     *
     * @throws TlsConfigException when the files cannot be used; the previous contexts stay in place
     */
    public void reloadNow() throws TlsConfigException {
        synchronized (reloadLock) {
            List<Path> files = watchedFiles();
            // Taken before loading, so that a change made while we load is seen at the next check; and
            // recorded even if loading fails, so that a broken pair is not retried until it changes.
            lastSeen = WatchedFiles.of(files);
            KeyMaterial material = loadMaterial();
            if (settings.isSelfSigned()) {
                lastSeen = WatchedFiles.of(files); // we may just have (re)generated them ourselves
            }
            install(buildGeneration(material));
        }
    }

    /** Stops the periodic check. Contexts stay usable; open connections are not affected. */
    @Override
    public void close() {
        synchronized (reloadLock) {
            if (reloadTask != null) {
                reloadTask.cancel(false);
                reloadTask = null;
            }
        }
    }

    /** The periodic check: reload when the files changed, or when the self-signed certificate must be renewed. */
    void checkForChanges() {
        synchronized (reloadLock) {
            try {
                if (settings.isSelfSigned()) {
                    String reason = SelfSignedCertificates.whyNotReusable(certificate(), settings.domains(), clock);
                    if (reason != null) {
                        log.info("Renewing the self-signed certificate: {}", reason);
                        reloadNow();
                        return;
                    }
                }
                WatchedFiles now = WatchedFiles.of(watchedFiles());
                if (now.equals(lastSeen)) {
                    return;
                }
                log.info("TLS certificate files changed, reloading");
                reloadNow();
            } catch (TlsConfigException e) {
                log.error("Cannot load the changed TLS certificate, keeping the current one (SHA-256 {}) until "
                        + "the files change again: {}", Certificates.sha256Fingerprint(certificate()), e.getMessage());
            } catch (RuntimeException e) {
                // An exception escaping a scheduleWithFixedDelay task silently cancels every later run.
                log.error("TLS certificate check failed, keeping the current certificate", e);
            }
        }
    }

    private List<Path> watchedFiles() {
        if (settings.isSelfSigned()) {
            return List.of(SelfSignedCertificates.certificateFile(settings.dataDir()),
                    SelfSignedCertificates.keyFile(settings.dataDir()));
        }
        List<Path> files = new ArrayList<>(List.of(settings.certificate()));
        if (settings.privateKey() != null) {
            files.add(settings.privateKey());
        }
        return files;
    }

    private KeyMaterial loadMaterial() throws TlsConfigException {
        if (settings.isSelfSigned()) {
            return SelfSignedCertificates.ensure(settings.dataDir(), settings.domains(), clock);
        }
        return KeyMaterialLoader.load(settings.certificate(), settings.privateKey(), settings.password());
    }

    private Generation buildGeneration(KeyMaterial material) throws TlsConfigException {
        try {
            return new Generation(material,
                    SslContexts.server(material, settings.provider(), settings.protocols()),
                    SslContexts.serverRequestingClientCertificate(material, settings.provider(), settings.protocols()),
                    new ConcurrentHashMap<>());
        } catch (SSLException | RuntimeException e) {
            throw new TlsConfigException(settings.certificate(),
                    "cannot build a TLS context from this certificate and key: " + e.getMessage(), e);
        }
    }

    private void install(Generation generation) {
        boolean initial = current == null;
        current = generation;
        X509Certificate leaf = generation.material().leaf();
        log.info("TLS certificate {} {}: SHA-256 fingerprint {}, valid until {}, provider {}, protocols {}",
                leaf.getSubjectX500Principal().getName(), initial ? "loaded" : "reloaded",
                Certificates.sha256Fingerprint(leaf), leaf.getNotAfter().toInstant(), settings.provider(),
                settings.protocols());
        warnAboutProblems(leaf);
        if (!initial) {
            for (Runnable listener : reloadListeners) {
                try {
                    listener.run();
                } catch (RuntimeException e) {
                    log.error("TLS reload listener failed", e);
                }
            }
        }
    }

    /** Problems that clients will reject, but that must not stop the node (the admin may be mid-renewal). */
    private void warnAboutProblems(X509Certificate leaf) {
        if (leaf.getNotAfter().toInstant().isBefore(clock.instant())) {
            log.warn("The TLS certificate expired on {}; clients and servers will refuse it",
                    leaf.getNotAfter().toInstant());
        }
        List<String> dnsNames = Certificates.dnsNames(leaf);
        List<String> xmppAddrs = Certificates.xmppAddrs(leaf);
        for (String domain : settings.domains()) {
            if (!names(dnsNames, xmppAddrs, domain)) {
                log.warn("The TLS certificate does not name the domain {}; clients will refuse it for that domain",
                        domain);
            }
        }
    }

    private static boolean names(List<String> dnsNames, List<String> xmppAddrs, String domain) {
        String lower = domain.toLowerCase(Locale.ROOT);
        if (dnsNames.contains(lower) || xmppAddrs.contains(domain)) {
            return true;
        }
        int dot = lower.indexOf('.');
        return dot > 0 && dnsNames.contains("*" + lower.substring(dot));
    }
}
