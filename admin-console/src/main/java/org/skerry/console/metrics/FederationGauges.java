package org.skerry.console.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.skerry.federation.FederationModule;
import org.skerry.federation.admin.FederationAdmin;
import org.skerry.federation.admin.PeerReport;
import org.skerry.federation.link.LinkStatus;
import org.skerry.federation.queue.PeerStatus;
import org.skerry.server.ServerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Federation as gauges: s2s links by direction and state (every combination, zeros included, so that a link that
 * goes away shows as a drop rather than a missing series), and per peer domain the outbound queue's depth and the
 * age of its oldest stanza. Peers come and go, so the per-peer rows are replaced at each {@link #refresh()}: a peer
 * the queue no longer knows loses its series.
 */
final class FederationGauges {
    private static final Logger log = LoggerFactory.getLogger(FederationGauges.class);

    private final ServerContext server;
    private final MultiGauge queueDepth;
    private final MultiGauge oldestAge;

    FederationGauges(ServerContext server, MeterRegistry registry) {
        this.server = server;
        for (LinkStatus.Direction direction : LinkStatus.Direction.values()) {
            for (LinkStatus.State state : LinkStatus.State.values()) {
                Gauge.builder("skerry.s2s.links", () -> links(direction, state))
                        .description("Server-to-server links by who opened them and where in their life they are"
                                + " (closed and failed: the last state of outbound links that ended)")
                        .baseUnit("links")
                        .tags("direction", lower(direction), "state", lower(state))
                        .register(registry);
            }
        }
        queueDepth = MultiGauge.builder("skerry.s2s.queue.depth")
                .description("Stanzas waiting in the durable outbound queue for a peer domain, in flight included")
                .baseUnit("stanzas").register(registry);
        oldestAge = MultiGauge.builder("skerry.s2s.queue.oldest.age")
                .description("How long the oldest stanza queued for a peer domain has waited (0 when none waits)")
                .baseUnit("seconds").register(registry);
    }

    private long links(LinkStatus.Direction direction, LinkStatus.State state) {
        return federation().map(FederationModule::linkStatus).orElse(List.of()).stream()
                .filter(link -> link.direction() == direction && link.state() == state).count();
    }

    /**
     * Reads the queue: its depths from memory, the ages of the oldest stanzas from storage (which blocks). When
     * storage does not answer, the ages are left out of this scrape rather than reported as zero.
     */
    synchronized void refresh() {
        List<PeerStatus> queues = federation().map(FederationModule::queueStatus).orElse(List.of());
        List<MultiGauge.Row<?>> depths = new ArrayList<>();
        for (PeerStatus queue : queues) {
            depths.add(MultiGauge.Row.of(Tags.of("peer", queue.domain()), queue.depth()));
        }
        queueDepth.register(depths, true);
        Optional<Map<String, Duration>> ages = oldestQueuedAges();
        List<MultiGauge.Row<?>> ageRows = new ArrayList<>();
        if (ages.isPresent()) {
            for (PeerStatus queue : queues) {
                double seconds = ages.get().getOrDefault(queue.domain(), Duration.ZERO).toMillis() / 1000.0;
                ageRows.add(MultiGauge.Row.of(Tags.of("peer", queue.domain()), seconds));
            }
        }
        oldestAge.register(ageRows, true);
    }

    private Optional<Map<String, Duration>> oldestQueuedAges() {
        Optional<FederationAdmin> admin = federation().flatMap(FederationModule::admin);
        if (admin.isEmpty()) {
            return Optional.of(Map.of());
        }
        try {
            Map<String, Duration> ages = new HashMap<>();
            for (PeerReport peer : admin.get().peers()) {
                if (peer.oldestQueuedAge() != null) {
                    ages.put(peer.domain(), peer.oldestQueuedAge());
                }
            }
            return Optional.of(ages);
        } catch (IllegalStateException storageFailed) {
            log.debug("Queue ages left out of the metrics: {}", storageFailed.getMessage());
            return Optional.empty();
        }
    }

    private Optional<FederationModule> federation() { return server.module(FederationModule.class); }

    private static String lower(Enum<?> value) { return value.name().toLowerCase(Locale.ROOT); }
}
