package org.skerry.bench;

import java.time.Duration;
import picocli.CommandLine.Option;

/** When a chat step counts as kept up, and the timing of each step. */
final class StepOptions {
    @Option(names = "--p99-limit", defaultValue = "200ms", description = "A step whose p99 is above this did not keep up (default: ${DEFAULT-VALUE}).")
    Duration p99Limit;

    @Option(names = "--delivery-min", defaultValue = "0.97", description = "Least share of offered messages delivered in time (default: ${DEFAULT-VALUE}).")
    double deliveryMin;

    @Option(names = "--warmup", defaultValue = "2s", description = "Sending before each step's measuring window (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--grace", defaultValue = "1s", description = "A measured message counts as delivered if it arrives this long after its step's window (default: ${DEFAULT-VALUE}).")
    Duration grace;

    @Option(names = "--tick", defaultValue = "2ms", description = "Pacer tick: due messages are handed out and flushed once per tick (default: ${DEFAULT-VALUE}).")
    Duration tick;
}
