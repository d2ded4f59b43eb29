package org.skerry.console.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StanzaRateTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private final AtomicLong total = new AtomicLong();
    private final StanzaRate rate = new StanzaRate(total::get);

    @Test
    void noSampleNoRate() {
        assertThat(rate.perSecond(0)).isZero();
    }

    @Test
    void theRateIsTheGrowthSinceTheOldestSampleInTheWindow() {
        rate.sample(0);
        total.set(100);
        assertThat(rate.perSecond(10 * SECOND)).isEqualTo(10.0);
        rate.sample(10 * SECOND);
        total.set(400);
        assertThat(rate.perSecond(20 * SECOND)).isEqualTo(20.0);
    }

    @Test
    void samplesOlderThanTheWindowAreForgotten() {
        rate.sample(0);
        total.set(3000); // a burst long ago
        rate.sample(5 * SECOND);
        for (int s = 10; s <= 40; s += 5) {
            rate.sample(s * SECOND);
        }
        assertThat(rate.perSecond(40 * SECOND)).as("quiet for the last half minute").isZero();
    }

    @Test
    void rightAfterTheStartAFewStanzasAreNotThousandsPerSecond() {
        rate.sample(0);
        total.set(5);
        assertThat(rate.perSecond(SECOND / 1000)).isEqualTo(5.0);
    }
}
