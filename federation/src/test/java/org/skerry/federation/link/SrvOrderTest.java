package org.skerry.federation.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.api.Assertions.tuple;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** RFC 2782 ordering of SRV targets, mixed across direct TLS and STARTTLS records (XEP-0368). */
class SrvOrderTest {
    private static ServiceRecord record(int priority, int weight, String target) {
        return new ServiceRecord(priority, weight, target, 5269, false);
    }

    private static List<String> targets(List<ServiceRecord> records) {
        return records.stream().map(ServiceRecord::target).toList();
    }

    /** Hands out the given numbers in turn, and checks each is within the bound the algorithm asked for. */
    private static RandomGenerator draws(int... picks) {
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int pick : picks) {
            queue.add(pick);
        }
        return new RandomGenerator() {
            @Override
            public int nextInt(int bound) {
                int pick = queue.remove();
                assertThat(pick).isBetween(0, bound - 1);
                return pick;
            }

            @Override
            public long nextLong() { throw new AssertionError("only nextInt(bound) is expected"); }
        };
    }

    @Test
    void lowerPriorityComesFirstWhateverTheWeights() {
        List<ServiceRecord> records = List.of(record(20, 100, "c"), record(5, 0, "a"), record(10, 65535, "b"));
        assertThat(targets(SrvOrder.order(records, new Random(1)))).containsExactly("a", "b", "c");
    }

    @Test
    void directTlsAndStartTlsRecordsAreMixedByPriority() {
        List<ServiceRecord> records = List.of(new ServiceRecord(10, 0, "starttls", 5269, false),
                new ServiceRecord(5, 0, "direct", 5270, true), new ServiceRecord(20, 0, "direct-backup", 5270, true));
        assertThat(SrvOrder.order(records, new Random(1))).extracting(ServiceRecord::target, ServiceRecord::directTls)
                .containsExactly(tuple("direct", true),
                        tuple("starttls", false),
                        tuple("direct-backup", true));
    }

    @Test
    void theDrawPicksTheFirstRecordWhoseRunningSumReachesIt() {
        // Zero weights go first: running sums are zero:0, ten:10, twenty:30; the draw is in [0, 30].
        List<ServiceRecord> records = List.of(record(1, 10, "ten"), record(1, 20, "twenty"), record(1, 0, "zero"));
        assertThat(targets(SrvOrder.order(records, draws(0, 0, 0)))).containsExactly("zero", "ten", "twenty");
        assertThat(targets(SrvOrder.order(records, draws(1, 0, 0)))).containsExactly("ten", "zero", "twenty");
        assertThat(targets(SrvOrder.order(records, draws(10, 0, 0)))).containsExactly("ten", "zero", "twenty");
        assertThat(targets(SrvOrder.order(records, draws(11, 1, 0)))).containsExactly("twenty", "ten", "zero");
        assertThat(targets(SrvOrder.order(records, draws(30, 1, 0)))).containsExactly("twenty", "ten", "zero");
    }

    @Test
    void allZeroWeightsKeepTheGivenOrder() {
        List<ServiceRecord> records = List.of(record(1, 0, "x"), record(1, 0, "y"), record(1, 0, "z"));
        assertThat(targets(SrvOrder.order(records, draws(0, 0, 0)))).containsExactly("x", "y", "z");
    }

    @Test
    void eachPriorityIsDrawnSeparately() {
        // Running sums per priority: {a:1, b:3}, then {c:5}; draws() checks the bounds asked for: 4, then 2, then 6.
        List<ServiceRecord> records = List.of(record(2, 5, "c"), record(1, 1, "a"), record(1, 2, "b"));
        assertThat(targets(SrvOrder.order(records, draws(2, 0, 5)))).containsExactly("b", "a", "c");
    }

    @Test
    void firstPicksFollowTheWeights() {
        List<ServiceRecord> records = List.of(record(0, 60, "sixty"), record(0, 30, "thirty"), record(0, 10, "ten"));
        Random random = new Random(2782);
        Map<String, Integer> firsts = new HashMap<>();
        int rounds = 20_000;
        for (int i = 0; i < rounds; i++) {
            firsts.merge(SrvOrder.order(records, random).get(0).target(), 1, Integer::sum);
        }
        // A draw in [0, 100] picks sixty for 0..60, thirty for 61..90, ten for 91..100. The seed is fixed, so the
        // test is repeatable; the tolerance is what sampling 20 000 rounds allows.
        assertThat(firsts.get("sixty") / (double) rounds).isCloseTo(61 / 101.0, offset(0.02));
        assertThat(firsts.get("thirty") / (double) rounds).isCloseTo(30 / 101.0, offset(0.02));
        assertThat(firsts.get("ten") / (double) rounds).isCloseTo(10 / 101.0, offset(0.02));
    }
}
