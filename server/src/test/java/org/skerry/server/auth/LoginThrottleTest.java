package org.skerry.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2025-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    private final ManualClock clock = new ManualClock();
    private final LoginThrottle throttle = new LoginThrottle(5, 3, Duration.ofMinutes(10), clock);

    @Test
    void aFewFailuresAreTolerated() {
        throttle.recordFailure("127.0.0.1", "juliet");
        throttle.recordFailure("127.0.0.1", "juliet");
        assertThat(throttle.allowed("127.0.0.1", "juliet")).isTrue();
        assertThat(throttle.retryAfter("127.0.0.1", "juliet")).isZero();
    }

    @Test
    void accountIsThrottledAfterItsLimitFromAnyIp() {
        throttle.recordFailure("10.0.0.1", "juliet");
        throttle.recordFailure("10.0.0.2", "juliet");
        throttle.recordFailure("10.0.0.3", "juliet");
        assertThat(throttle.allowed("10.0.0.4", "juliet")).isFalse();
        assertThat(throttle.allowed("10.0.0.4", "romeo")).isTrue();
        assertThat(throttle.retryAfter("10.0.0.4", "juliet")).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void ipIsThrottledAfterItsLimitForAnyAccount() {
        for (int i = 0; i < 5; i++) {
            throttle.recordFailure("10.0.0.1", "user" + i);
        }
        assertThat(throttle.allowed("10.0.0.1", "someone-new")).isFalse();
        assertThat(throttle.allowed("10.0.0.1", null)).isFalse();
        assertThat(throttle.allowed("10.0.0.2", "someone-new")).isTrue();
    }

    @Test
    void throttlingEndsWhenTheWindowHasPassed() {
        for (int i = 0; i < 5; i++) {
            throttle.recordFailure("127.0.0.1", "juliet");
        }
        clock.advance(Duration.ofMinutes(4));
        assertThat(throttle.allowed("127.0.0.1", "juliet")).isFalse();
        assertThat(throttle.retryAfter("127.0.0.1", "juliet")).isEqualTo(Duration.ofMinutes(6));
        clock.advance(Duration.ofMinutes(6));
        assertThat(throttle.allowed("127.0.0.1", "juliet")).isTrue();
        // A new window starts from scratch: one more failure does not block again.
        throttle.recordFailure("127.0.0.1", "juliet");
        assertThat(throttle.allowed("127.0.0.1", "juliet")).isTrue();
    }

    @Test
    void successClearsTheAccountButNotTheIp() {
        throttle.recordFailure("10.0.0.1", "juliet");
        throttle.recordFailure("10.0.0.1", "juliet");
        throttle.recordFailure("10.0.0.1", "juliet");
        throttle.recordSuccess("10.0.0.2", "juliet");
        assertThat(throttle.allowed("10.0.0.3", "juliet")).isTrue();

        throttle.recordFailure("10.0.0.1", "x");
        throttle.recordFailure("10.0.0.1", "y");
        throttle.recordSuccess("10.0.0.1", "mallory");
        assertThat(throttle.allowed("10.0.0.1", "z")).isFalse();
    }

    @Test
    void nullAccountCountsOnlyTheIp() {
        for (int i = 0; i < 5; i++) {
            throttle.recordFailure("10.0.0.9", null);
        }
        assertThat(throttle.allowed("10.0.0.9", null)).isFalse();
        assertThat(throttle.allowed(null, null)).isTrue();
    }

    @Test
    void memoryIsBounded() {
        LoginThrottle small = new LoginThrottle(2, 2, Duration.ofMinutes(10), clock, 100);
        for (int i = 0; i < 10_000; i++) {
            small.recordFailure("10.0." + (i / 256) + "." + (i % 256), "user" + i);
        }
        assertThat(small.trackedKeys()).isLessThanOrEqualTo(200);
        // The most recent keys are still tracked.
        small.recordFailure("10.0.39.15", "user9999");
        assertThat(small.allowed("10.0.39.15", null)).isFalse();
    }

    @Test
    void expiredEntriesAreDroppedWhenNewOnesArrive() {
        throttle.recordFailure("10.0.0.1", "juliet");
        clock.advance(Duration.ofMinutes(11));
        throttle.recordFailure("10.0.0.2", "romeo");
        assertThat(throttle.trackedKeys()).isEqualTo(2);
    }
}
