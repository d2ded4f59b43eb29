package org.skerry.console.dashboard;

import java.lang.management.ManagementFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.skerry.console.web.ConsoleFeature;
import org.skerry.console.web.ConsoleRoutes;
import org.skerry.console.web.PageResult;
import org.skerry.federation.FederationModule;
import org.skerry.federation.link.LinkStatus;
import org.skerry.server.ServerContext;

/** The first page: is the node healthy, how busy is it, and is anything about to break (certificate expiry)? */
public final class DashboardFeature implements ConsoleFeature {
    static final Duration CERTIFICATE_WARNING = Duration.ofDays(14);

    /** What the dashboard shows; the page refreshes it from {@code GET /api/v1/dashboard}. */
    public record Dashboard(String version, String domain, long uptimeSeconds, String uptime, int clientsOnline,
                            long s2sLinksIn, long s2sLinksOut, long outboundQueueDepth, String certificateSubject,
                            Instant certificateExpires, long certificateDaysLeft, boolean certificateWarning) {}

    private final ServerContext server;

    public DashboardFeature(ServerContext server) {
        this.server = server;
    }

    @Override
    public NavEntry nav() { return new NavEntry("Dashboard", "/", 0); }

    @Override
    public void register(ConsoleRoutes routes) {
        routes.api("GET", "/dashboard", call -> dashboard());
        routes.page("GET", "/", call -> PageResult.view("dashboard.jte", "Dashboard", Map.of("d", dashboard())));
    }

    Dashboard dashboard() {
        long uptime = ManagementFactory.getRuntimeMXBean().getUptime() / 1000;
        List<LinkStatus> links = server.module(FederationModule.class).map(FederationModule::linkStatus).orElse(List.of());
        long in = links.stream().filter(l -> l.state() == LinkStatus.State.READY
                && l.direction() == LinkStatus.Direction.INBOUND).count();
        long out = links.stream().filter(l -> l.state() == LinkStatus.State.READY
                && l.direction() == LinkStatus.Direction.OUTBOUND).count();
        long queued = server.module(FederationModule.class).map(f -> f.queueStatus().stream()
                .mapToLong(p -> p.depth()).sum()).orElse(0L);
        X509Certificate certificate = server.tls().certificate();
        Instant expires = certificate.getNotAfter().toInstant();
        long daysLeft = Duration.between(server.clock().instant(), expires).toDays();
        return new Dashboard(server.version(), server.domains().get(0), uptime, human(Duration.ofSeconds(uptime)),
                server.sessions().count(), in, out, queued, certificate.getSubjectX500Principal().getName(), expires,
                daysLeft, Duration.between(server.clock().instant(), expires).compareTo(CERTIFICATE_WARNING) < 0);
    }

    static String human(Duration d) {
        if (d.toDays() > 0) {
            return d.toDays() + " d " + d.toHoursPart() + " h";
        }
        if (d.toHours() > 0) {
            return d.toHours() + " h " + d.toMinutesPart() + " min";
        }
        return d.toMinutes() + " min " + d.toSecondsPart() + " s";
    }
}
