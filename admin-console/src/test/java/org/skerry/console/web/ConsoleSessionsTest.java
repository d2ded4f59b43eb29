package org.skerry.console.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ConsoleSessionsTest {
    /** A clock the test moves by hand. */
    private static final class StepClock extends Clock {
        Instant now = Instant.parse("2026-11-25T12:00:00Z");

        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }

        @Override public Clock withZone(java.time.ZoneId zone) { return this; }

        @Override public Instant instant() { return now; }
    }

    private final StepClock clock = new StepClock();
    private final ConsoleSessions sessions = new ConsoleSessions(Duration.ofMinutes(30), clock);

    @Test
    void sessionsHaveDistinctUnguessableIdsAndTokens() {
        ConsoleSessions.Session a = sessions.create("admin@x");
        ConsoleSessions.Session b = sessions.create("admin@x");
        assertThat(a.id).isNotEqualTo(b.id).hasSize(43);
        assertThat(a.csrfToken()).isNotEqualTo(a.id).isNotEqualTo(b.csrfToken());
        assertThat(sessions.find(a.id)).isSameAs(a);
        assertThat(sessions.find("made-up")).isNull();
        assertThat(sessions.find(null)).isNull();
    }

    @Test
    void aSessionEndsAfterItsIdleTimeButActivityKeepsItAliveUpToItsLifetime() {
        ConsoleSessions.Session s = sessions.create("admin@x");
        for (int i = 0; i < 24; i++) { // 24 × 29 min = 11 h 36 min
            clock.now = clock.now.plus(Duration.ofMinutes(29));
            assertThat(sessions.find(s.id)).as("active after %d steps", i).isNotNull();
        }
        clock.now = clock.now.plus(Duration.ofMinutes(29)); // 12 h 5 min: past the lifetime, though active
        assertThat(sessions.find(s.id)).isNull();

        ConsoleSessions.Session idle = sessions.create("admin@x");
        clock.now = clock.now.plus(Duration.ofMinutes(31));
        assertThat(sessions.find(idle.id)).isNull();
    }

    @Test
    void signOutEverywhereEndsEverySessionOfThatAdminOnly() {
        ConsoleSessions.Session a1 = sessions.create("a@x");
        ConsoleSessions.Session a2 = sessions.create("a@x");
        ConsoleSessions.Session b = sessions.create("b@x");
        sessions.removeAdmin("a@x");
        assertThat(sessions.find(a1.id)).isNull();
        assertThat(sessions.find(a2.id)).isNull();
        assertThat(sessions.find(b.id)).isNotNull();
    }

    @Test
    void theTableIsBoundedAndDropsTheLeastRecentlyUsed() {
        ConsoleSessions.Session first = sessions.create("admin@x");
        ConsoleSessions.Session second = sessions.create("admin@x");
        sessions.find(first.id); // used: second is now the eldest
        for (int i = 0; i < 999; i++) {
            sessions.create("admin@x");
        }
        assertThat(sessions.find(first.id)).isNotNull();
        assertThat(sessions.find(second.id)).isNull();
    }

    @Test
    void tokensCompareExactly() {
        assertThat(ConsoleSessions.sameToken("abc", "abc")).isTrue();
        assertThat(ConsoleSessions.sameToken("abc", "abd")).isFalse();
        assertThat(ConsoleSessions.sameToken("abc", null)).isFalse();
        assertThat(ConsoleSessions.sameToken("abc", "")).isFalse();
    }
}
