package org.skerry.bench;

import java.time.Duration;
import java.util.List;
import org.skerry.bench.load.StepPlan;
import org.skerry.bench.result.RunResult;
import picocli.CommandLine.Option;

/** When a chat step counts as kept up, and the timing of each step. */
final class StepOptions {
    @Option(names = "--p99-limit", defaultValue = "200ms", description = "A step whose p99 is above this did not keep up (default: ${DEFAULT-VALUE}).")
    Duration p99Limit;

    @Option(names = "--delivery-min", defaultValue = "0.97", description = "Least share of offered messages delivered in time (default: ${DEFAULT-VALUE}).")
    double deliveryMin;

    @Option(names = "--warmup", defaultValue = "2s", description = "Sending before each step's measuring window (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--first-warmup", defaultValue = "2s", description = "Sending before the first step's measuring window:"
            + " lets a JVM server compile its hot paths before anything is measured (default: ${DEFAULT-VALUE}).")
    Duration firstWarmup;

    @Option(names = "--grace", defaultValue = "1s", description = "A measured message counts as delivered if it arrives this long after its step's window (default: ${DEFAULT-VALUE}).")
    Duration grace;

    @Option(names = "--tick", defaultValue = "2ms", description = "Pacer tick: due messages are handed out and flushed once per tick (default: ${DEFAULT-VALUE}).")
    Duration tick;

    /** The plan through {@code rates} with a measuring window of {@code window} per step, noted in the result. */
    StepPlan plan(List<Long> rates, Duration window, RunResult result) {
        result.parameter("rates", rates).parameter("first_warmup", firstWarmup.toString())
                .parameter("warmup", warmup.toString()).parameter("grace", grace.toString())
                .parameter("p99_limit", p99Limit.toString()).parameter("delivery_min", deliveryMin);
        return new StepPlan(rates, firstWarmup, warmup, window, grace, deliveryMin, p99Limit, tick);
    }
}
