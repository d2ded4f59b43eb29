package org.skerry.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The rates a chat run steps through and when a step counts as kept up: each step sends at its rate for {@code
 * warmup} (the first step for {@code firstWarmup}: a JVM server compiles its hot paths while traffic first flows, and
 * that belongs to its start, not to the rate) plus {@code window}; messages sent in the window are measured and count as delivered when they arrive
 * before the window's end plus {@code grace}. Stepping stops after a step whose delivered/offered is below {@code
 * deliveryMin}, whose p99 is above {@code p99Limit}, or that the tool itself could not send on time.
 */
public record StepPlan(List<Long> rates, Duration firstWarmup, Duration warmup, Duration window, Duration grace, double deliveryMin,
        Duration p99Limit, Duration tick) {

    /** How long step {@code index} sends before its measuring window opens. */
    public Duration warmupOf(int index) { return index == 0 ? firstWarmup : warmup; }

    /** start, start + step, ... up to and including max (just start when step is 0 or max is below start). */
    public static List<Long> rates(long start, long step, long max) {
        List<Long> rates = new ArrayList<>();
        rates.add(start);
        if (step > 0) {
            for (long rate = start + step; rate <= max; rate += step) {
                rates.add(rate);
            }
        }
        return rates;
    }
}
