package org.skerry.server;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import org.skerry.server.config.SkerryConfig;
import org.skerry.server.module.EventBus;
import org.skerry.server.routing.Router;
import org.skerry.server.session.SessionRegistry;
import org.skerry.server.tls.TlsManager;

/** The node's services, as modules and the stream layer see them. */
public interface ServerContext {
    SkerryConfig config();

    List<String> domains();

    default boolean isLocalDomain(String domain) { return domains().contains(domain); }

    Router router();

    SessionRegistry sessions();

    EventBus events();

    Storage storage();

    Accounts accounts();

    /** Whether in-band registration is open now (XEP-0077); admins may switch it while the node runs. */
    RegistrationSwitch registration();

    ServerFeatures features();

    ScheduledExecutorService scheduler();

    /** The node's certificate and TLS contexts (federation uses them for s2s). */
    TlsManager tls();

    Clock clock();

    /**
     * The node's meters (Micrometer). Core and modules record into it; a module that exposes metrics (the
     * console's Prometheus endpoint) adds its registry to it.
     */
    io.micrometer.core.instrument.composite.CompositeMeterRegistry meters();

    /**
     * The started module of this type, for modules that show or steer another (the console and federation). Look
     * it up when needed, not in {@code start}: modules start in ServiceLoader order.
     */
    <T extends org.skerry.server.module.Module> java.util.Optional<T> module(Class<T> type);

    /** The software version, for XEP-0092 and the CLI. */
    default String version() { return Version.current(); }
}
