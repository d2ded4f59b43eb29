package org.skerry.console;

import java.util.List;
import org.skerry.console.certificates.CertificateOperations;
import org.skerry.console.certificates.CertificatesFeature;
import org.skerry.console.dashboard.DashboardFeature;
import org.skerry.console.dashboard.RecentWarnings;
import org.skerry.console.federation.FederationFeature;
import org.skerry.console.metrics.MetricsHandler;
import org.skerry.console.metrics.NodeMetrics;
import org.skerry.console.settings.SettingsFeature;
import org.skerry.console.settings.SettingsOperations;
import org.skerry.console.signin.AdminSignIn;
import org.skerry.console.users.UsersFeature;
import org.skerry.console.web.ConsoleFeature;
import org.skerry.console.web.ConsoleHttp;
import org.skerry.console.web.ConsoleSessions;
import org.skerry.console.web.Templates;
import org.skerry.server.ServerContext;
import org.skerry.server.auth.LoginThrottle;
import org.skerry.server.config.SkerryConfig;
import org.skerry.server.module.Module;
import org.skerry.server.module.ModuleContext;

/**
 * The admin console of one node: pages under {@code /admin} and the same operations as JSON under
 * {@code /api/v1}, on the node's HTTP listener. Each area of the console is a {@link ConsoleFeature}. Also the
 * node's Prometheus endpoint, {@code /metrics}.
 */
public final class ConsoleModule implements Module {
    private ConsoleSessions sessions;
    private NodeMetrics metrics;
    private RecentWarnings warnings;

    @Override
    public void start(ModuleContext context) {
        ServerContext server = context.server();
        SkerryConfig config = server.config();
        metrics = NodeMetrics.start(server);
        context.http().mount(MetricsHandler.PATH,
                new MetricsHandler(metrics, config.http().metricsToken(), config.http().bind()));
        warnings = RecentWarnings.attach();
        sessions = new ConsoleSessions(config.http().sessionTimeout(), server.clock());
        LoginThrottle throttle = new LoginThrottle(config.auth().maxFailuresPerIp(),
                config.auth().maxFailuresPerAccount(), config.auth().failureWindow(), server.clock());
        AdminSignIn signIn = new AdminSignIn(config.admins(), server.accounts(), throttle);
        ConsoleHttp http = new ConsoleHttp(sessions, signIn, new Templates(), config.http().tls(),
                server.domains().get(0));
        for (ConsoleFeature feature : features(server)) {
            http.add(feature);
        }
        context.http().mount("/admin", http.pageHandler());
        context.http().mount("/api/v1", http.apiHandler());
    }

    private List<ConsoleFeature> features(ServerContext server) {
        return List.of(new DashboardFeature(server, metrics, warnings),
                new UsersFeature(server, sessions),
                new CertificatesFeature(new CertificateOperations(server.tls(), server.domains(), server.clock())),
                new SettingsFeature(new SettingsOperations(server.config(), server.registration())),
                new FederationFeature(server));
    }

    @Override
    public void stop() {
        if (warnings != null) {
            warnings.detach();
        }
        if (metrics != null) {
            metrics.close();
        }
    }

    /** Sign-ins of the console; features end an admin's sessions when the account changes. */
    public ConsoleSessions sessions() { return sessions; }
}
