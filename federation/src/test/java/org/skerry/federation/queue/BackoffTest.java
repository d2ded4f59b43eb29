package org.skerry.federation.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), new Random(1));

    @Test
    void ceilingDoublesUpToTheMaximum() {
        assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.ceiling(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.ceiling(5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(backoff.ceiling(9)).isEqualTo(Duration.ofSeconds(256));
        assertThat(backoff.ceiling(10)).isEqualTo(Duration.ofMinutes(5));
        assertThat(backoff.ceiling(10_000)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void delayIsBetweenHalfTheCeilingAndTheCeilingAndActuallyVaries() {
        for (int failures = 1; failures <= 12; failures++) {
            long ceiling = backoff.ceiling(failures).toMillis();
            Set<Long> seen = new HashSet<>();
            for (int draw = 0; draw < 200; draw++) {
                long delay = backoff.delay(failures).toMillis();
                assertThat(delay).isBetween(ceiling / 2, ceiling);
                seen.add(delay);
            }
            assertThat(seen).as("jitter after %d failures", failures).hasSizeGreaterThan(50);
        }
    }

    @Test
    void delaysGrowWithFailures() {
        // Equal jitter keeps the floor: after n+2 failures the shortest delay exceeds the longest after n.
        assertThat(backoff.delay(4).toMillis()).isGreaterThanOrEqualTo(backoff.ceiling(2).toMillis());
        assertThat(backoff.delay(8).toMillis()).isGreaterThanOrEqualTo(backoff.ceiling(6).toMillis());
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), new Random()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), new Random()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> backoff.delay(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
