package org.skerry.console.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The appender on the real Logback root logger, as the console adds it. */
class RecentWarningsTest {
    private static final Logger log = LoggerFactory.getLogger("org.skerry.test.RecentWarningsTest");
    private RecentWarnings warnings;

    @BeforeEach
    void attach() { warnings = RecentWarnings.attach(); }

    @AfterEach
    void detach() { warnings.detach(); }

    @Test
    void keepsWarningsAndErrorsNewestFirstButNotInfo() {
        log.info("just so you know");
        log.warn("disk {} almost full", "/var");
        log.error("gave up", new IllegalStateException("no space"));
        assertThat(warnings.newestFirst()).extracting(RecentWarnings.Warning::message)
                .containsExactly("gave up (java.lang.IllegalStateException: no space)", "disk /var almost full");
        RecentWarnings.Warning newest = warnings.newestFirst().get(0);
        assertThat(newest.level()).isEqualTo("ERROR");
        assertThat(newest.logger()).isEqualTo("org.skerry.test.RecentWarningsTest");
        assertThat(newest.time()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    }

    @Test
    void holdsAtMostItsCapacityAndCutsLongMessages() {
        IntStream.range(0, RecentWarnings.CAPACITY + 20).forEach(i -> log.warn("warning {}", i));
        log.warn("x".repeat(10_000));
        assertThat(warnings.newestFirst()).hasSize(RecentWarnings.CAPACITY);
        assertThat(warnings.newestFirst().get(0).message()).hasSize(RecentWarnings.MAX_MESSAGE).endsWith("…");
        assertThat(warnings.newestFirst().get(RecentWarnings.CAPACITY - 1).message())
                .isEqualTo("warning " + (RecentWarnings.CAPACITY + 20 - (RecentWarnings.CAPACITY - 1)));
    }

    @Test
    void nothingArrivesOnceDetached() {
        warnings.detach();
        log.warn("after the console stopped");
        assertThat(warnings.newestFirst()).isEmpty();
    }
}
