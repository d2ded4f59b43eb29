package org.skerry.console.dashboard;

import java.lang.management.ManagementFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.skerry.console.dashboard.RecentWarnings.Warning;
import org.skerry.console.metrics.NodeMetrics;
import org.skerry.console.web.ConsoleFeature;
import org.skerry.console.web.ConsoleRoutes;
import org.skerry.console.web.PageResult;
import org.skerry.federation.FederationModule;
import org.skerry.federation.link.LinkStatus;
import org.skerry.server.ServerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first page: is the node healthy, how busy is it, and is anything about to break (certificate expiry, recent
 * warnings in the log)?
 */
public final class DashboardFeature implements ConsoleFeature {
    static final Duration CERTIFICATE_WARNING = Duration.ofDays(14);
    /** The storage size is a nicety: a busy storage executor must not hold the page for long. */
    private static final Duration STORAGE_SIZE_WAIT = Duration.ofSeconds(2);
    private static final Logger log = LoggerFactory.getLogger(DashboardFeature.class);

    /**
     * What the dashboard shows; the page refreshes it from {@code GET /api/v1/dashboard}. {@code storageBytes} is
     * null when the database's size cannot be seen (in-memory or server-mode H2, or storage did not answer).
     */
    public record Dashboard(String version, String domain, long uptimeSeconds, String uptime, int clientsOnline,
                            long s2sLinksIn, long s2sLinksOut, long outboundQueueDepth, String certificateSubject,
                            Instant certificateExpires, long certificateDaysLeft, boolean certificateWarning,
                            double stanzasPerSecond, Long storageBytes, String storageSize, List<Warning> warnings) {}

    private final ServerContext server;
    private final NodeMetrics metrics;
    private final RecentWarnings warnings;

    public DashboardFeature(ServerContext server, NodeMetrics metrics, RecentWarnings warnings) {
        this.server = server;
        this.metrics = metrics;
        this.warnings = warnings;
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
        // A bidirectional link (XEP-0288) carries stanzas both ways, so it counts as a link in and a link out.
        long in = links.stream().filter(l -> l.state() == LinkStatus.State.READY
                && l.direction() != LinkStatus.Direction.OUTBOUND).count();
        long out = links.stream().filter(l -> l.state() == LinkStatus.State.READY
                && l.direction() != LinkStatus.Direction.INBOUND).count();
        long queued = server.module(FederationModule.class).map(f -> f.queueStatus().stream()
                .mapToLong(p -> p.depth()).sum()).orElse(0L);
        X509Certificate certificate = server.tls().certificate();
        Instant expires = certificate.getNotAfter().toInstant();
        long daysLeft = Duration.between(server.clock().instant(), expires).toDays();
        Long storageBytes = storageBytes();
        return new Dashboard(server.version(), server.domains().get(0), uptime, human(Duration.ofSeconds(uptime)),
                server.sessions().count(), in, out, queued, certificate.getSubjectX500Principal().getName(), expires,
                daysLeft, Duration.between(server.clock().instant(), expires).compareTo(CERTIFICATE_WARNING) < 0,
                Math.round(metrics.stanzasPerSecond() * 10) / 10.0, storageBytes,
                storageBytes == null ? "unknown" : bytes(storageBytes), warnings.newestFirst());
    }

    /**
     * The database plus the outbound queue's journal beside it. On the storage executor: on PostgreSQL it is a
     * query.
     */
    private Long storageBytes() {
        try {
            // The journal's size (kept by the journal, read without its lock) with the database's, in one bounded task.
            OptionalLong size = server.storage().run("console-storage-size", () -> {
                OptionalLong database = server.storage().database().sizeBytes();
                OptionalLong queueFiles = server.module(FederationModule.class).map(FederationModule::queueDiskBytes)
                        .orElse(OptionalLong.empty());
                return database.isEmpty() ? database : OptionalLong.of(database.getAsLong() + queueFiles.orElse(0));
            }).get(STORAGE_SIZE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return size.isPresent() ? size.getAsLong() : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            log.debug("The dashboard shows no storage size: {}", e.toString());
            return null;
        }
    }

    /** As the page's script shows a JSON number: 12.5, but 3 rather than 3.0. */
    public static String rate(double perSecond) {
        return perSecond == Math.rint(perSecond) ? Long.toString((long) perSecond) : Double.toString(perSecond);
    }

    static String bytes(long count) {
        if (count < 1024) {
            return count + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = count;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
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
