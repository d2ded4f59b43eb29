package org.skerry.console.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.skerry.server.ServerContext;
import org.skerry.server.metrics.StanzaCounters;

/**
 * The node's meters in Prometheus form: a Prometheus registry joins the node's composite registry (so it receives
 * what the core and the modules record), next to the JVM's meters and the federation gauges. Also what the
 * dashboard shows of them: the stanza rate.
 */
public final class NodeMetrics implements AutoCloseable {
    private final CompositeMeterRegistry node;
    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final FederationGauges federation;
    private final StanzaRate stanzaRate;

    private NodeMetrics(ServerContext server) {
        this.node = server.meters();
        node.add(prometheus);
        new JvmMemoryMetrics().bindTo(node);
        gc.bindTo(node);
        new JvmThreadMetrics().bindTo(node);
        new ClassLoaderMetrics().bindTo(node);
        new ProcessorMetrics().bindTo(node);
        new UptimeMetrics().bindTo(node);
        federation = new FederationGauges(server, node);
        stanzaRate = StanzaRate.start(this::stanzaTotal, server.scheduler());
    }

    /** Call while the modules start, before the listeners accept anyone: stanzas from then on are counted. */
    public static NodeMetrics start(ServerContext server) {
        return new NodeMetrics(server);
    }

    /**
     * Every meter in the Prometheus text format (version 0.0.4). Blocks while it reads the outbound queue's ages
     * from storage: call it on an HTTP worker, never on an event loop.
     */
    public String scrape() {
        federation.refresh();
        return prometheus.scrape();
    }

    /** Stanzas in and out over c2s and s2s per second, over the last half minute. */
    public double stanzasPerSecond() { return stanzaRate.perSecond(); }

    private double stanzaTotal() {
        return prometheus.find(StanzaCounters.NAME).counters().stream().mapToDouble(Counter::count).sum();
    }

    @Override
    public void close() {
        stanzaRate.close();
        gc.close();
        node.remove(prometheus);
        prometheus.close();
    }
}
