package org.skerry.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.skerry.server.xml.Element;

/**
 * Stanzas received and sent on one transport ({@code c2s} or {@code s2s}), by kind: the counter
 * {@value #NAME} with the tags {@code transport}, {@code direction} ({@code in}, {@code out}) and {@code kind}
 * ({@code message}, {@code presence}, {@code iq}). Called on event loops for every stanza, so it does no more
 * than one counter increment: the six counters are looked up once and kept.
 *
 * <p>They are registered at the first stanza rather than when this is made: streams are made while modules
 * start, and a registry that a module adds afterwards (the console's Prometheus registry) would otherwise join a
 * composite that already holds meters, which Micrometer warns about.
 */
public final class StanzaCounters {
    public static final String NAME = "skerry.stanzas";
    private static final String[] DIRECTIONS = {"in", "out"};
    private static final String[] KINDS = {"message", "presence", "iq"};

    private final MeterRegistry registry;
    private final String transport;
    /** Indexed by direction * 3 + kind; null until the first stanza. */
    private volatile Counter[] counters;

    public StanzaCounters(MeterRegistry registry, String transport) {
        this.registry = registry;
        this.transport = transport;
    }

    public void received(Element stanza) { count(0, stanza.name()); }

    public void sent(Element stanza) { count(1, stanza.name()); }

    private void count(int direction, String name) {
        int kind = switch (name) {
            case "message" -> 0;
            case "presence" -> 1;
            case "iq" -> 2;
            default -> -1; // stream-level elements (acks, features, SASL) are not stanzas
        };
        if (kind < 0) {
            return;
        }
        Counter[] registered = counters;
        if (registered == null) {
            registered = register();
        }
        registered[direction * KINDS.length + kind].increment();
    }

    /** Registering twice returns the same meters, so a race between two first stanzas is harmless. */
    private Counter[] register() {
        Counter[] registered = new Counter[DIRECTIONS.length * KINDS.length];
        for (int d = 0; d < DIRECTIONS.length; d++) {
            for (int k = 0; k < KINDS.length; k++) {
                registered[d * KINDS.length + k] = Counter.builder(NAME)
                        .description("XMPP stanzas received (in) and sent (out)")
                        .baseUnit("stanzas")
                        .tags("transport", transport, "direction", DIRECTIONS[d], "kind", KINDS[k])
                        .register(registry);
            }
        }
        counters = registered;
        return registered;
    }
}
