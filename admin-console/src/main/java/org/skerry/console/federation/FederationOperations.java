package org.skerry.console.federation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.skerry.console.web.WebError;
import org.skerry.federation.FederationModule;
import org.skerry.federation.admin.BlockedDomain;
import org.skerry.federation.admin.FederationAdmin;
import org.skerry.federation.admin.FederationControl;
import org.skerry.federation.admin.PeerDomainName;
import org.skerry.federation.admin.PolicyChange;
import org.skerry.federation.queue.RetryOutcome;
import org.skerry.server.ServerContext;

/**
 * The console's federation operations, behind its page and its JSON API alike: the peers with their links and
 * queues, block, unblock, retry now. They run {@link FederationAdmin}'s, so the console refuses and answers exactly
 * as {@code skerry federation ...} does: a bad domain is a 400, what the policy refuses (lifting a block of the
 * configuration) a 409, each with the admin API's sentence. They block while storage commits or a retry runs, which
 * the console's worker threads may.
 */
public final class FederationOperations {
    /** An XMPP domainpart is at most 1023 bytes (RFC 7622 §3.2.1); anything longer is refused before parsing. */
    static final int MAX_DOMAIN_LENGTH = 1023;

    /** A block or an unblock: whether it changed anything, and the sentence for the admin. */
    public record Change(String domain, boolean changed, String summary) {}

    /**
     * A retry-now: how the attempt ended ("emptied", "failed", "still-sending", "stopped"), its counts, and one
     * sentence for the admin.
     */
    public record Retry(String domain, String result, long delivered, long bounced, long queued, String error,
                 String nextRetry, String summary) {
        boolean failed() { return result.equals("failed") || result.equals("stopped"); }
    }

    /** A domain blocked by federation.blocked_domains ({@code byConfig}) or at runtime since {@code blockedAt}. */
    public record Blocked(String domain, boolean byConfig, String blockedAt) {}

    /**
     * {@code federation check DOMAIN} run by this node: each step in order ("resolution", "tcp", "tls", "certificate",
     * "names", "expiry", "auth", "ping"), and whether none failed. A step runs only when the ones before it succeeded.
     */
    public record CheckReport(String domain, boolean ok, List<CheckStep> steps) {}

    /** One step of a check: its name, "ok", "failed" or "skipped", and what it found or why it failed. */
    public record CheckStep(String name, String outcome, String detail) {}

    private final ServerContext server;

    FederationOperations(ServerContext server) {
        this.server = server;
    }

    /** Whether federation runs on this node (federation.enabled): without it there are no peers to act on. */
    boolean enabled() { return federation().flatMap(FederationModule::admin).isPresent(); }

    List<PeerView> peers() throws WebError {
        var now = server.clock().instant();
        return run(() -> admin().peers().stream().map(report -> PeerView.of(report, now)).toList());
    }

    /**
     * The numbers of the peers table keyed "DOMAIN:field" and "DOMAIN:link:N:field", flat, so that the page's
     * {@code data-live} refresh can put each into its cell.
     */
    Map<String, Object> liveNumbers() throws WebError {
        Map<String, Object> numbers = new LinkedHashMap<>();
        for (PeerView peer : peers()) {
            String key = peer.domain() + ":";
            numbers.put(key + "health", peer.health());
            numbers.put(key + "queued", peer.queued());
            numbers.put(key + "oldestQueued", peer.oldestQueued());
            numbers.put(key + "nextRetryIn", peer.nextRetryIn());
            numbers.put(key + "lastError", peer.lastError() == null ? "" : peer.lastError());
            for (int i = 0; i < peer.links().size(); i++) {
                PeerView.LinkView link = peer.links().get(i);
                String linkKey = key + "link:" + i + ":";
                numbers.put(linkKey + "state", link.state());
                numbers.put(linkKey + "forHowLong", link.forHowLong());
                numbers.put(linkKey + "stanzasIn", link.stanzasIn());
                numbers.put(linkKey + "stanzasOut", link.stanzasOut());
            }
        }
        return numbers;
    }

    List<Blocked> blocked() throws WebError {
        return run(() -> admin().blockedDomains().stream().map(FederationOperations::blocked).toList());
    }

    private static Blocked blocked(BlockedDomain block) {
        return new Blocked(block.domain(), block.byConfig(),
                block.blockedAt() == null ? null : block.blockedAt().toString());
    }

    Change block(String domain) throws WebError {
        String peer = checkedLength(domain);
        return run(() -> change(admin().block(peer)));
    }

    Change unblock(String domain) throws WebError {
        String peer = checkedLength(domain);
        return run(() -> change(admin().unblock(peer)));
    }

    private static Change change(PolicyChange change) {
        return new Change(change.domain(), change.changed(), change.summary());
    }

    Retry retryNow(String domain) throws WebError {
        String peer = checkedLength(domain);
        return run(() -> {
            RetryOutcome outcome = admin().retryNow(peer);
            return new Retry(outcome.domain(), outcome.result().name().toLowerCase(Locale.ROOT)
                    .replace('_', '-'), outcome.delivered(), outcome.bounced(), outcome.queued(), outcome.error(),
                    outcome.nextRetry() == null ? null : outcome.nextRetry().toString(),
                    FederationControl.describe(outcome, server.clock().instant()));
        });
    }

    /**
     * Checks the route to {@code domain} as {@code skerry federation check} does, from inside this node (so that it
     * authenticates as this node's domain and hears the ping's answer); with federation off, authentication and ping
     * are skipped. Takes as long as the peer does, each step at most federation.connect_timeout.
     */
    CheckReport check(String domain) throws WebError {
        String peer = run(() -> PeerDomainName.parse(checkedLength(domain), server.domains()));
        FederationModule federation = federation().orElseThrow(() -> new WebError(409, "federation-off",
                "This node runs without its federation module"));
        List<CheckStep> steps = run(() -> federation.check(peer)).stream().map(step -> new CheckStep(step.name(),
                step.outcome().name().toLowerCase(Locale.ROOT), step.detail())).toList();
        return new CheckReport(peer, steps.stream().noneMatch(step -> step.outcome().equals("failed")), steps);
    }

    /** Path parameters have no field limit of their own; the same bound as a form's field. */
    private static String checkedLength(String domain) throws WebError {
        if (domain != null && domain.length() > MAX_DOMAIN_LENGTH) {
            throw invalidDomain("A domain is at most " + MAX_DOMAIN_LENGTH + " characters long");
        }
        return domain;
    }

    private Optional<FederationModule> federation() { return server.module(FederationModule.class); }

    private FederationAdmin admin() throws WebError {
        return federation().flatMap(FederationModule::admin).orElseThrow(() -> new WebError(409, "federation-off",
                "Federation is off on this node (federation.enabled = false)"));
    }

    @FunctionalInterface
    private interface Operation<T> {
        T run() throws WebError;
    }

    /** {@link FederationAdmin}'s refusals as the console's errors, with its sentences. */
    private static <T> T run(Operation<T> operation) throws WebError {
        try {
            return operation.run();
        } catch (IllegalArgumentException invalid) {
            throw invalidDomain(invalid.getMessage());
        } catch (IllegalStateException refused) {
            throw WebError.conflict(refused.getMessage());
        }
    }

    private static WebError invalidDomain(String message) { return new WebError(400, "invalid-domain", message); }
}
