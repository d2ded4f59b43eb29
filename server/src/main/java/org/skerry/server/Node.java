package org.skerry.server;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.skerry.server.auth.LoginThrottle;
import org.skerry.server.auth.NonceSource;
import org.skerry.server.auth.SaslMechanisms;
import org.skerry.server.config.C2sConfig;
import org.skerry.server.config.SkerryConfig;
import org.skerry.server.control.AccountCommands;
import org.skerry.server.control.ControlCommand;
import org.skerry.server.control.ControlServer;
import org.skerry.server.http.HttpListener;
import org.skerry.server.http.HttpRoutes;
import org.skerry.server.metrics.AuthFailureCounter;
import org.skerry.server.module.EventBus;
import org.skerry.server.module.EventHandler;
import org.skerry.server.module.EventType;
import org.skerry.server.module.IqHandler;
import org.skerry.server.module.Module;
import org.skerry.server.module.ModuleContext;
import org.skerry.server.net.C2sListener;
import org.skerry.server.net.Transport;
import org.skerry.server.routing.LocalDelivery;
import org.skerry.server.routing.Router;
import org.skerry.server.session.SessionRegistry;
import org.skerry.server.storage.Database;
import org.skerry.server.storage.OrderedExecutor;
import org.skerry.server.stream.Authenticators;
import org.skerry.server.stream.C2sSettings;
import org.skerry.server.stream.SessionEnd;
import org.skerry.server.stream.StreamTls;
import org.skerry.server.tls.TlsConfigException;
import org.skerry.server.tls.TlsManager;
import org.skerry.server.tls.TlsSettings;
import org.skerry.server.xml.XmlLimits;
import org.skerry.server.xmpp.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running node: storage, TLS, the router, the modules and the listeners, started in that order and stopped in
 * the reverse. Everything a test or the launcher needs to run a real server in-process.
 */
public final class Node implements ServerContext, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Node.class);

    private final SkerryConfig config;
    private final Clock clock = Clock.systemUTC();
    private final EventBus events = new EventBus();
    private final SessionRegistry sessions = new SessionRegistry();
    private final ServerFeatures features = new ServerFeatures();
    private final RegistrationSwitch registration;
    private final ScheduledExecutorService scheduler;
    private final Database database;
    private final Storage storage;
    private final Accounts accounts;
    private final TlsManager tls;
    private final Router router;
    private final LocalDelivery delivery;
    private final List<Module> modules = new ArrayList<>();
    private final Map<String, String> initialAdminPasswords = new LinkedHashMap<>();
    private final Map<String, ControlCommand> controlCommands = new LinkedHashMap<>();
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private C2sListener c2s;
    private ControlServer control;
    private final CompositeMeterRegistry meters = new CompositeMeterRegistry();
    private final HttpListener http;
    private int httpPort;
    private int c2sPort;
    private int c2sDirectTlsPort;

    private Node(SkerryConfig config) {
        this.config = config;
        this.registration = new RegistrationSwitch(config.c2s().allowRegistration());
        this.scheduler = Executors.newScheduledThreadPool(2, DaemonThreads.named("skerry-timer"));
        createDataDir(config.dataDir());
        this.database = Database.open(config.storage().url(), config.storage().user(), config.storage().password(),
                config.storage().poolSize());
        OrderedExecutor executor = new OrderedExecutor("skerry-storage", config.storage().workerThreads(),
                config.storage().queueCapacity());
        this.storage = Storage.open(database, executor);
        // Accounts only reads the node's sessions and scheduler later, when it ends an account's sessions.
        this.accounts = new Accounts(storage.accounts(), this, config.auth().scramIterations());
        this.tls = startTls(config, scheduler);
        this.router = new Router(events, this::isLocalDomain, scheduler);
        this.delivery = new LocalDelivery(sessions, router, events);
        this.http = new HttpListener(config.http(), tls);
    }

    /** Starts a node; on failure everything already started is stopped again. */
    public static Node start(SkerryConfig config) {
        Node node = new Node(config);
        try {
            node.createFirstAdmins();
            node.controlCommands.put("user", new AccountCommands(node.accounts, config.domains()));
            node.startModules();
            node.listen();
            node.control = openControlSocket(config.dataDir(), node.controlCommands);
            return node;
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
    }

    private static ControlServer openControlSocket(Path dataDir, Map<String, ControlCommand> commands) {
        try {
            return new ControlServer(dataDir, commands);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot open the control socket in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private void createFirstAdmins() {
        if (accounts.countAll() > 0 || config.admins().isEmpty()) {
            return;
        }
        SecureRandom random = new SecureRandom();
        for (String admin : config.admins()) {
            String password = OneTimePasswords.generate(random);
            if (accounts.create(Jid.parse(admin), password)) {
                initialAdminPasswords.put(admin, password);
                // Printed once, on the console only: it is stored nowhere but as SCRAM keys.
                System.out.println("Created the admin account " + admin + " with the one-time password: " + password);
                System.out.println("  Log in with it, then change it (./skerry user passwd " + admin + ").");
            }
        }
    }

    private void startModules() {
        for (Module module : ServiceLoader.load(Module.class, Node.class.getClassLoader())) {
            module.start(new Context());
            modules.add(module);
            log.debug("Started module {}", module.getClass().getSimpleName());
        }
        log.info("Started {} modules", modules.size());
    }

    /**
     * One client event loop per core, not Netty's default of two: the loops never block (storage has its own
     * threads), so a second loop per core adds only context switches and hand-overs between loops (a stanza read on
     * one loop is written on its recipient's). Chat at 2000 msg/s on 2 cores: 36 us of server CPU per message with
     * 4 loops, 27.5 with 2 (interop-tests/bench). {@code -Dio.netty.eventLoopThreads} still decides when set.
     */
    static int ioThreads() {
        return Integer.getInteger("io.netty.eventLoopThreads", Runtime.getRuntime().availableProcessors());
    }

    private void listen() {
        boss = new MultiThreadIoEventLoopGroup(1, DaemonThreads.named("skerry-accept"), Transport.current().ioHandlers());
        workers = new MultiThreadIoEventLoopGroup(ioThreads(), DaemonThreads.named("skerry-io"), Transport.current().ioHandlers());
        C2sConfig c = config.c2s();
        C2sSettings settings = new C2sSettings(c.requireTls(), c.allowPlain(), c.allowPlainWithoutTls(),
                c.handshakeTimeout(), c.idleTimeout(), c.pingInterval(), c.keepaliveInterval(), c.stanzaRate(),
                c.stanzaBurst(), c.writeBufferHigh(), c.writeBufferLow(), c.streamManagement(),
                c.resumptionTimeout(), c.maxResumptionTimeout(), c.maxConnections(), c.maxConnectionsPerIp());
        LoginThrottle throttle = new LoginThrottle(config.auth().maxFailuresPerIp(),
                config.auth().maxFailuresPerAccount(), config.auth().failureWindow(), clock);
        SaslMechanisms mechanisms = new SaslMechanisms(NodeSecrets.load(config.dataDir(), "sasl-decoy"),
                config.auth().scramIterations(), NonceSource.secureRandom());
        c2s = new C2sListener(this, settings, new XmlLimits(c.maxStanzaSize(), c.maxDepth(), c.maxAttributes()),
                new StreamTls(tls), new Authenticators(mechanisms, throttle, new AuthFailureCounter(meters)));
        // Registered after the modules started, so that a registry a module adds (the console's) sees it.
        Gauge.builder("skerry.c2s.sessions", sessions, SessionRegistry::count)
                .description("Bound client sessions (resources online)").baseUnit("sessions").register(meters);
        if (c.port() != 0) {
            c2sPort = c2s.bind(boss, workers, c.bind(), c.port(), false);
        }
        if (c.directTlsPort() != 0) {
            c2sDirectTlsPort = c2s.bind(boss, workers, c.bind(), c.directTlsPort(), true);
        }
        if (config.http().enabled()) {
            httpPort = http.start();
        }
    }

    /** The HTTP port actually bound (0 if disabled). */
    public int httpPort() { return httpPort; }

    /** The STARTTLS c2s port actually bound (0 if disabled); differs from the config when it asked for an ephemeral port. */
    public int c2sPort() { return c2sPort; }

    public int c2sDirectTlsPort() { return c2sDirectTlsPort; }

    /** Passwords of admin accounts created at this first start (empty on later starts). */
    public Map<String, String> initialAdminPasswords() { return Map.copyOf(initialAdminPasswords); }

    @Override
    public TlsManager tls() { return tls; }

    public LocalDelivery delivery() { return delivery; }

    /** The started module of this type, if the ServiceLoader found one: lets the CLI and tests read its state. */
    @Override
    public <T extends Module> Optional<T> module(Class<T> type) {
        return modules.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    @Override
    public void close() {
        if (control != null) {
            control.close();
        }
        http.close();
        if (c2s != null) {
            c2s.close();
        }
        for (var s : sessions.all(null)) {
            if (s.isHibernating()) {
                SessionEnd.end(this, s); // no stream to close: its unacknowledged messages go offline now
            } else {
                s.close(new org.skerry.server.xmpp.StreamError(org.skerry.server.xmpp.StreamError.Condition.SYSTEM_SHUTDOWN));
            }
        }
        if (workers != null) {
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        for (int i = modules.size() - 1; i >= 0; i--) {
            try {
                modules.get(i).stop();
            } catch (RuntimeException e) {
                log.warn("Module {} failed to stop", modules.get(i).getClass().getSimpleName(), e);
            }
        }
        scheduler.shutdownNow();
        if (tls != null) {
            tls.close();
        }
        storage.executor().close();
        database.close();
    }

    // ---------------------------------------------------------------- ServerContext

    @Override public SkerryConfig config() { return config; }

    @Override public List<String> domains() { return config.domains(); }

    @Override public Router router() { return router; }

    @Override public SessionRegistry sessions() { return sessions; }

    @Override public EventBus events() { return events; }

    @Override public Storage storage() { return storage; }

    @Override public Accounts accounts() { return accounts; }

    @Override public RegistrationSwitch registration() { return registration; }

    @Override public ServerFeatures features() { return features; }

    @Override public ScheduledExecutorService scheduler() { return scheduler; }

    @Override public Clock clock() { return clock; }

    @Override public CompositeMeterRegistry meters() { return meters; }

    private final class Context implements ModuleContext {
        @Override public ServerContext server() { return Node.this; }

        @Override public void advertise(String feature) { features.add(feature); }

        @Override public void identity(String category, String type, String name) {
            features.add(new ServerFeatures.Identity(category, type, name));
        }

        @Override public void onIq(String namespace, IqHandler handler) { delivery.registerHostIq(namespace, handler); }

        @Override public void onAccountIq(String namespace, IqHandler handler) {
            delivery.registerAccountIq(namespace, handler);
        }

        @Override public HttpRoutes http() { return http.routes(); }

        @Override public <T> void on(EventType<T> type, int priority, EventHandler<T> handler) {
            events.on(type, priority, handler);
        }

        @Override public void onControlCommand(String word, ControlCommand command) {
            if (controlCommands.putIfAbsent(word, command) != null) {
                throw new IllegalStateException("the control command '" + word + "' is already served");
            }
        }
    }

    private static TlsManager startTls(SkerryConfig config, ScheduledExecutorService scheduler) {
        var t = config.tls();
        try {
            return TlsManager.start(new TlsSettings(t.certificate().orElse(null), t.privateKey().orElse(null),
                    t.password(), t.provider().name().toLowerCase(java.util.Locale.ROOT), t.protocols(),
                    t.reloadInterval(), config.dataDir(), config.domains()), scheduler);
        } catch (TlsConfigException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static void createDataDir(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create the data directory " + dir + ": " + e.getMessage(), e);
        }
    }
}
