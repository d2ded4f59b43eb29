package org.skerry.server.http;

import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.skerry.server.config.HttpConfig;
import org.skerry.server.tls.TlsManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's one HTTP listener (Jetty 12 core, no servlets): modules mount handlers on it while they start, and it
 * starts accepting after them. With {@code http.tls} it serves HTTPS with the node's certificate and follows its
 * hot reloads.
 */
public final class HttpListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpListener.class);
    /** Enough for an admin console and a metrics scraper; bounded so a flood queues instead of spawning threads. */
    private static final int MAX_THREADS = 16;
    /**
     * Bounds the work waiting for those threads: Jetty's own jobs need an unbounded pool queue, so the bound is on
     * connections instead (a connection has at most one request in flight over HTTP/1.1).
     */
    private static final int MAX_CONNECTIONS = 128;
    private static final long IDLE_TIMEOUT_MS = 10_000;
    private static final char[] KEY_STORE_PASSWORD = "skerry-http".toCharArray();

    private final HttpConfig config;
    private final TlsManager tls;
    private final PrefixHandler routes = new PrefixHandler();
    private Server server;
    private ServerConnector connector;

    public HttpListener(HttpConfig config, TlsManager tls) {
        this.config = config;
        this.tls = tls;
        routes.mount("/.well-known", new HostMeta());
    }

    public HttpRoutes routes() { return routes; }

    /** Binds and starts serving; returns the bound port. */
    public int start() {
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 2);
        threads.setName("skerry-http");
        threads.setDaemon(true);
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // A JID's localpart may contain '%' (RFC 7622), so console paths such as /users/50%25off@example.org
        // carry "%25", which Jetty refuses by default as ambiguous. Allowed, Jetty leaves it encoded in the path
        // it hands on, and the console's routes decode it exactly once; every other check stays on.
        http.setUriCompliance(UriCompliance.DEFAULT.with("skerry", UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING));
        if (config.tls()) {
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            // Admins reach the console by IP (127.0.0.1) while the certificate names the XMPP domain.
            secure.setSniHostCheck(false);
            http.addCustomizer(secure);
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStore(tls.keyStore(KEY_STORE_PASSWORD));
            ssl.setKeyStorePassword(new String(KEY_STORE_PASSWORD));
            connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                    new HttpConnectionFactory(http));
            tls.addReloadListener(() -> reloadCertificate(ssl));
        } else {
            connector = new ServerConnector(server, new HttpConnectionFactory(http));
        }
        // A client that stops mid-request holds a worker thread until this passes: keep it short.
        connector.setIdleTimeout(IDLE_TIMEOUT_MS);
        connector.setHost(config.bind().host());
        connector.setPort(config.bind().port());
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(MAX_CONNECTIONS, connector));
        ErrorHandler errors = new ErrorHandler();
        errors.setShowStacks(false);
        errors.setShowMessageInTitle(false);
        server.setErrorHandler(errors);
        server.setHandler(routes);
        try {
            server.start();
        } catch (Exception e) {
            close();
            throw new IllegalStateException("Cannot start the HTTP listener on " + config.bind() + ": " + e.getMessage(), e);
        }
        int port = connector.getLocalPort();
        log.info("HTTP{} listening on {}:{}", config.tls() ? "S" : "", config.bind().host(), port);
        return port;
    }

    private void reloadCertificate(SslContextFactory.Server ssl) {
        try {
            ssl.reload(factory -> factory.setKeyStore(tls.keyStore(KEY_STORE_PASSWORD)));
        } catch (Exception e) {
            log.warn("HTTPS keeps the previous certificate: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        if (server != null) {
            try {
                server.stop();
            } catch (Exception e) {
                log.debug("Stopping the HTTP listener: {}", e.toString());
            }
        }
    }
}
