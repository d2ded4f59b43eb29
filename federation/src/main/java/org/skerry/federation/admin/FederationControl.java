package org.skerry.federation.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.skerry.federation.check.FederationCheck;
import org.skerry.federation.queue.RetryOutcome;
import org.skerry.server.control.ControlCommand;

/**
 * The control socket's {@code federation} commands, which {@code skerry federation check|peers|block|unblock|retry}
 * send to the running node: each answers with the text the CLI prints. A check runs also while federation is off,
 * to report what it can; the others need the running federation.
 */
public final class FederationControl implements ControlCommand {
    private final Supplier<FederationAdmin> admin;
    private final Function<String, List<FederationCheck.Step>> check;
    private final Supplier<Instant> clock;

    /**
     * @param admin the running federation's admin, or null while federation is off
     * @param check runs {@code federation check} on a peer domain, blocking until it is done
     */
    public FederationControl(Supplier<FederationAdmin> admin, Function<String, List<FederationCheck.Step>> check,
                             Supplier<Instant> clock) {
        this.admin = admin;
        this.check = check;
        this.clock = clock;
    }

    @Override
    public String run(List<String> words, String password) {
        if (words.size() < 2) {
            throw new IllegalArgumentException("expected a federation command: check, peers, block, unblock or retry");
        }
        String verb = words.get(1);
        if (!List.of("check", "peers", "block", "unblock", "retry").contains(verb)) {
            throw new IllegalArgumentException("unknown federation command: " + verb);
        }
        if (verb.equals("check")) {
            return checked(check.apply(arguments(words, 1)));
        }
        FederationAdmin federation = admin.get();
        if (federation == null) {
            throw new IllegalStateException("federation is off on this node (federation.enabled = false)");
        }
        return switch (verb) {
            case "peers" -> {
                arguments(words, 0);
                yield PeerTable.render(federation.peers(), clock.get());
            }
            case "block" -> federation.block(arguments(words, 1)).summary();
            case "unblock" -> federation.unblock(arguments(words, 1)).summary();
            default -> retried(federation.retryNow(arguments(words, 1)));
        };
    }

    /** The report, one line per step; a failed step makes a failed command, which still shows the whole report. */
    private static String checked(List<FederationCheck.Step> steps) {
        String report = steps.stream().map(FederationCheck.Step::line).collect(Collectors.joining("\n"));
        if (steps.stream().anyMatch(FederationCheck.Step::failed)) {
            throw new IllegalStateException(report);
        }
        return report;
    }

    /** The outcome as a sentence; a failed attempt is a failed command. */
    private String retried(RetryOutcome outcome) {
        String text = describe(outcome, clock.get());
        if (outcome.result() == RetryOutcome.Result.FAILED || outcome.result() == RetryOutcome.Result.STOPPED) {
            throw new IllegalStateException(text);
        }
        return text;
    }

    /** What a retry led to, in one or two sentences. */
    public static String describe(RetryOutcome outcome, Instant now) {
        String peer = outcome.domain();
        String bounced = outcome.bounced() == 0 ? ""
                : " " + stanzas(outcome.bounced()) + " bounced to " + (outcome.bounced() == 1 ? "its sender." : "their senders.");
        return switch (outcome.result()) {
            case EMPTIED -> outcome.delivered() == 0 && outcome.bounced() == 0
                    ? "Nothing is queued for " + peer + "."
                    : "Delivered " + stanzas(outcome.delivered()) + " to " + peer + "; its queue is empty." + bounced;
            case FAILED -> "Could not deliver to " + peer + ": " + PlainErrors.of(outcome.error()) + ". "
                    + stanzas(outcome.queued()) + (outcome.queued() == 1 ? " stays" : " stay")
                    + " queued; the next attempt is in "
                    + PeerTable.age(Duration.between(now, outcome.nextRetry())) + "." + bounced;
            case STILL_SENDING -> "Still delivering to " + peer + ": " + stanzas(outcome.queued())
                    + " queued (see skerry federation peers).";
            case STOPPED -> "Federation is stopping; " + stanzas(outcome.queued()) + " for " + peer
                    + " stay queued for the next start.";
        };
    }

    /** The command's single domain argument, or none; anything else is bad usage. */
    private static String arguments(List<String> words, int expected) {
        if (words.size() - 2 != expected) {
            throw new IllegalArgumentException(expected == 0 ? "federation " + words.get(1) + " takes no argument"
                    : "federation " + words.get(1) + " takes one DOMAIN");
        }
        return expected == 0 ? null : words.get(2);
    }

    private static String stanzas(long count) { return count + (count == 1 ? " stanza" : " stanzas"); }
}
