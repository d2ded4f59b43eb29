package org.skerry.federation.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.skerry.federation.link.FederationLinks;
import org.skerry.federation.link.LinkStatus;
import org.skerry.federation.link.PeerPolicy;
import org.skerry.federation.link.PeerPolicy.Standing;
import org.skerry.federation.queue.OutboundQueue;
import org.skerry.federation.queue.PeerStatus;
import org.skerry.federation.queue.RetryOutcome;
import org.skerry.server.ServerContext;
import org.skerry.server.xmpp.StreamError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an admin (the console, the CLI through the control socket) may see and do to federation peers: list them
 * with their links and queues, block and unblock a domain while the node runs, and retry a peer now.
 *
 * <p>A runtime block is stored before it applies, so once the admin is told it holds, it holds across restarts;
 * {@code federation.blocked_domains} stays the configuration's, and cannot be lifted here. Blocking a domain ends
 * its links with {@code <policy-violation/>} (RFC 6120 §4.9.3.14), bounces what is queued for it with
 * {@code <not-allowed/>} at once, and refuses its new links.
 *
 * <p>The methods block while storage commits and, for {@link #retryNow}, while the attempt runs: call them from an
 * admin's thread (an HTTP request, the control socket), never from an event loop. Bad input throws
 * {@link IllegalArgumentException}; an operation the policy refuses throws {@link IllegalStateException}.
 */
public final class FederationAdmin {
    private static final Logger log = LoggerFactory.getLogger(FederationAdmin.class);
    /** The storage lane of the admin's policy changes: they apply in the order they were asked for. */
    private static final String POLICY_LANE = "federation-policy";
    private static final Duration STORAGE_WAIT = Duration.ofSeconds(30);

    private final ServerContext server;
    private final PeerPolicy policy;
    private final BlockedDomainRepository blocks;
    private final FederationLinks links;
    private final OutboundQueue queue;
    private final Duration retryWait;

    /**
     * @param retryWait how long {@link #retryNow} waits for the attempt's end before it reports that it is still
     *                  sending: a connect may take federation.connect_timeout
     */
    public FederationAdmin(ServerContext server, PeerPolicy policy, BlockedDomainRepository blocks,
                           FederationLinks links, OutboundQueue queue, Duration retryWait) {
        this.server = server;
        this.policy = policy;
        this.blocks = blocks;
        this.links = links;
        this.queue = queue;
        this.retryWait = retryWait;
    }

    /**
     * Loads the stored runtime blocks into {@code policy}; at start-up, before any link may authenticate and before
     * the queue resumes, so that nothing reaches a domain that was blocked when the node stopped.
     */
    public static void loadRuntimeBlocks(ServerContext server, PeerPolicy policy, BlockedDomainRepository blocks) {
        Map<String, Instant> stored = server.storage().run(POLICY_LANE, blocks::all).join();
        stored.keySet().forEach(policy::blockAtRuntime);
        if (!stored.isEmpty()) {
            log.info("Peer domains blocked at runtime: {}", stored.keySet());
        }
    }

    // ---------------------------------------------------------------- reading

    /** Every peer with a link, a queue, or a block, sorted by domain. */
    public List<PeerReport> peers() {
        Map<String, Instant> oldest = join(queue.oldestQueued());
        Map<String, List<LinkStatus>> linksByPeer = new TreeMap<>();
        for (LinkStatus link : links.status()) {
            if (link.peerDomain() != null) {
                linksByPeer.computeIfAbsent(link.peerDomain(), d -> new ArrayList<>()).add(link);
            }
        }
        Map<String, PeerStatus> queues = new TreeMap<>();
        queue.status().forEach(status -> queues.put(status.domain(), status));
        Set<String> domains = new TreeSet<>(linksByPeer.keySet());
        domains.addAll(queues.keySet());
        domains.addAll(policy.blockedByConfig());
        domains.addAll(policy.blockedAtRuntime());

        Instant now = server.clock().instant();
        List<PeerReport> reports = new ArrayList<>();
        for (String domain : domains) {
            List<LinkStatus> peerLinks = linksByPeer.getOrDefault(domain, List.of());
            PeerStatus status = queues.get(domain);
            Instant oldestAt = oldest.get(domain);
            reports.add(new PeerReport(domain, policy.standing(domain), peerLinks,
                    status == null ? 0 : status.depth(), status == null ? 0 : status.inFlight(),
                    oldestAt == null ? null : Duration.between(oldestAt, now),
                    status == null ? 0 : status.failedAttempts(), status == null ? null : status.nextRetry(),
                    PlainErrors.of(lastError(status, peerLinks))));
        }
        return reports;
    }

    /** The queue's reason first: it says why stanzas wait. Else the newest link failure. */
    private static String lastError(PeerStatus status, List<LinkStatus> peerLinks) {
        if (status != null && status.lastError() != null) {
            return status.lastError();
        }
        return peerLinks.stream().filter(link -> link.lastError() != null)
                .max(Comparator.comparing(LinkStatus::since)).map(LinkStatus::lastError).orElse(null);
    }

    /** The configuration's blocks, then the runtime ones, each sorted by domain. */
    public List<BlockedDomain> blockedDomains() {
        List<BlockedDomain> blocked = new ArrayList<>();
        policy.blockedByConfig().forEach(domain -> blocked.add(new BlockedDomain(domain, true, null)));
        store(blocks::all).forEach((domain, at) -> blocked.add(new BlockedDomain(domain, false, at)));
        return blocked;
    }

    // ---------------------------------------------------------------- changing

    /**
     * Blocks {@code domain} now and across restarts: its links end with policy-violation, what is queued for it
     * bounces with not-allowed, and new links are refused.
     */
    public synchronized PolicyChange block(String domain) {
        String peer = PeerDomainName.parse(domain, server.domains());
        if (policy.standing(peer) == Standing.BLOCKED_BY_CONFIG) {
            return new PolicyChange(peer, false, peer + " is already blocked by federation.blocked_domains");
        }
        boolean added = store(() -> blocks.add(peer, server.clock().instant()));
        policy.blockAtRuntime(peer);
        // Also when it was blocked already: enforcing again is harmless, and heals a block that a crash cut short.
        int closed = links.closeLinksWith(peer, new StreamError(StreamError.Condition.POLICY_VIOLATION,
                "This server does not federate with " + peer));
        long queued = queuedFor(peer);
        queue.bounceBlocked(peer);
        if (!added) {
            return new PolicyChange(peer, false, peer + " was already blocked");
        }
        log.info("Blocked {} at the admin's request: {} links closed, {} queued stanzas bounce", peer, closed, queued);
        return new PolicyChange(peer, true, "Blocked " + peer + ": closed " + plural(closed, "link") + "; "
                + plural(queued, "queued stanza") + (queued == 1 ? " bounces to its sender" : " bounce to their senders")
                + " with <not-allowed/>; new links are refused.");
    }

    /**
     * Lifts a runtime block of {@code domain}. A block of the configuration (federation.blocked_domains, or a
     * domain that allow-only mode does not list) cannot be lifted here: that is an {@link IllegalStateException}.
     */
    public synchronized PolicyChange unblock(String domain) {
        String peer = PeerDomainName.parse(domain, server.domains());
        if (policy.standing(peer) == Standing.BLOCKED_BY_CONFIG) {
            throw new IllegalStateException(peer + " is blocked by federation.blocked_domains in the configuration,"
                    + " which cannot be lifted at runtime: remove it there and restart the node");
        }
        boolean removed = store(() -> blocks.remove(peer));
        policy.unblockAtRuntime(peer);
        if (!policy.allowListAdmits(peer)) {
            String why = peer + " is not in federation.allowed_domains (allow-only mode), which cannot be changed at"
                    + " runtime: add it there and restart the node";
            if (!removed) {
                throw new IllegalStateException(why);
            }
            log.info("Lifted the runtime block of {}; federation.allowed_domains still refuses it", peer);
            return new PolicyChange(peer, true, "Lifted the runtime block of " + peer + ", but it stays refused: "
                    + why + ".");
        }
        if (!removed) {
            return new PolicyChange(peer, false, peer + " was not blocked");
        }
        log.info("Unblocked {} at the admin's request", peer);
        return new PolicyChange(peer, true, "Unblocked " + peer + ": links and stanzas are allowed again.");
    }

    /**
     * Cuts the backoff of {@code domain}'s queue short and tries to deliver at once, e.g. after its admin said it is
     * back. Waits for the attempt's end, at most the retry wait given at construction.
     */
    public RetryOutcome retryNow(String domain) {
        String peer = PeerDomainName.parse(domain, server.domains());
        Standing standing = policy.standing(peer);
        if (standing != Standing.ALLOWED) {
            throw new IllegalStateException(peer + " is " + describe(standing) + ": nothing is sent to it");
        }
        try {
            return queue.retryNow(peer).get(retryWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException stillGoing) {
            return new RetryOutcome(peer, RetryOutcome.Result.STILL_SENDING, 0, 0, queuedFor(peer), null, null);
        } catch (ExecutionException e) {
            throw new IllegalStateException("retrying " + peer + " failed: " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying " + peer, e);
        }
    }

    /** How {@code standing} reads in a sentence: "blocked by federation.blocked_domains". */
    static String describe(Standing standing) {
        return switch (standing) {
            case ALLOWED -> "allowed";
            case BLOCKED_BY_CONFIG -> "blocked by federation.blocked_domains";
            case BLOCKED_AT_RUNTIME -> "blocked at runtime";
            case NOT_IN_ALLOWED_DOMAINS -> "not in federation.allowed_domains";
        };
    }

    private long queuedFor(String peer) {
        return queue.status().stream().filter(status -> status.domain().equals(peer)).mapToLong(PeerStatus::depth)
                .sum();
    }

    private <T> T store(Callable<T> work) { return join(server.storage().run(POLICY_LANE, work)); }

    private static <T> T join(CompletableFuture<T> work) {
        try {
            return work.get(STORAGE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException && e.getCause().getCause() != null
                    ? e.getCause().getCause() : e.getCause();
            throw new IllegalStateException("storage failed: " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException("storage did not answer within " + STORAGE_WAIT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String plural(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }
}
