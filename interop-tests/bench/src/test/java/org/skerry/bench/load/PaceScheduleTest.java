package org.skerry.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PaceScheduleTest {
    @Test
    void dueCountFollowsTheRateWithoutDrift() {
        PaceSchedule schedule = new PaceSchedule(2000);
        assertThat(schedule.dueBy(0)).isZero();
        assertThat(schedule.dueBy(499_999)).isZero();
        assertThat(schedule.dueBy(500_000)).isEqualTo(1);
        assertThat(schedule.dueBy(1_000_000_000L)).isEqualTo(2000);
        assertThat(schedule.dueBy(10_000_000_000L + 2_000_000)).isEqualTo(20_004);
        // ticks of 2 ms handing out the difference each time sum to exactly rate × time
        long handedOut = 0;
        for (long now = 0; now <= 10_000_000_000L; now += 2_000_000) {
            handedOut += schedule.dueBy(now) - handedOut;
        }
        assertThat(handedOut).isEqualTo(20_000);
    }

    @Test
    void oddRatesRoundDownAndCatchUp() {
        PaceSchedule schedule = new PaceSchedule(3);
        assertThat(schedule.dueBy(333_333_333)).isZero();
        assertThat(schedule.dueBy(333_333_334)).isEqualTo(1);
        assertThat(schedule.dueBy(3_600_000_000_000L)).isEqualTo(10_800);
        assertThat(new PaceSchedule(40_000).dueBy(600_000_000_000L)).isEqualTo(24_000_000);
    }

    @Test
    void stepsGoFromStartToMaxInclusive() {
        assertThat(StepPlan.rates(2000, 2000, 10_000)).containsExactly(2000L, 4000L, 6000L, 8000L, 10_000L);
        assertThat(StepPlan.rates(2000, 3000, 10_000)).containsExactly(2000L, 5000L, 8000L);
        assertThat(StepPlan.rates(500, 0, 10_000)).isEqualTo(List.of(500L));
        assertThat(StepPlan.rates(500, 100, 0)).isEqualTo(List.of(500L));
    }
}
