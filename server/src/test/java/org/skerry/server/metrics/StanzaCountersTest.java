package org.skerry.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Namespaces;

class StanzaCountersTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final StanzaCounters counters = new StanzaCounters(registry, "c2s");

    @Test
    void countsEachKindInEachDirection() {
        counters.received(new Element("message", Namespaces.CLIENT));
        counters.received(new Element("message", Namespaces.CLIENT));
        counters.received(new Element("iq", Namespaces.CLIENT));
        counters.sent(new Element("presence", Namespaces.CLIENT));
        assertThat(count("in", "message")).isEqualTo(2);
        assertThat(count("in", "iq")).isEqualTo(1);
        assertThat(count("in", "presence")).isZero();
        assertThat(count("out", "presence")).isEqualTo(1);
        assertThat(count("out", "message")).isZero();
    }

    @Test
    void streamElementsAreNotStanzasAndRegisterNothing() {
        counters.sent(new Element("a", Namespaces.SM));
        counters.received(new Element("features", Namespaces.STREAM));
        assertThat(registry.getMeters()).as("nothing registered before the first stanza").isEmpty();
    }

    private double count(String direction, String kind) {
        return registry.get(StanzaCounters.NAME).tags("transport", "c2s", "direction", direction, "kind", kind)
                .counter().count();
    }
}
