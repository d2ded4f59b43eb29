package org.skerry.federation.link;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which peer domains this node federates with: none of {@code federation.blocked_domains}, none the admin blocked
 * while the node runs, and when {@code federation.allowed_domains} is not empty, only those. Domains match exactly:
 * blocking a domain does not block its subdomains, which are other servers.
 *
 * <p>The configuration's lists are fixed for the run; the runtime blocks change under the admin's hand and are read
 * by the event loops, so they live in a concurrent set. Storing them is the caller's business.
 */
public final class PeerPolicy {
    /** Where a domain stands, and why: what the admin sees next to a peer. */
    public enum Standing {
        ALLOWED,
        /** Named in {@code federation.blocked_domains}: only a configuration change lifts it. */
        BLOCKED_BY_CONFIG,
        /** Blocked by the admin while a node ran; stored, so it outlives restarts until unblocked. */
        BLOCKED_AT_RUNTIME,
        /** {@code federation.allowed_domains} is not empty and does not name it. */
        NOT_IN_ALLOWED_DOMAINS
    }

    private final Set<String> configBlocked;
    private final Set<String> allowed;
    private final Set<String> runtimeBlocked = ConcurrentHashMap.newKeySet();

    public PeerPolicy(List<String> blockedDomains, List<String> allowedDomains) {
        this.configBlocked = Set.copyOf(blockedDomains);
        this.allowed = Set.copyOf(allowedDomains);
    }

    /** Everyone is welcome. */
    public static PeerPolicy open() { return new PeerPolicy(List.of(), List.of()); }

    public boolean isBlocked(String domain) { return standing(domain) != Standing.ALLOWED; }

    /**
     * Why {@code domain} is refused, the configuration's reason first: a runtime block of a domain the
     * configuration blocks too changes nothing the admin can undo at runtime.
     */
    public Standing standing(String domain) {
        String lower = domain.toLowerCase(Locale.ROOT);
        if (configBlocked.contains(lower)) {
            return Standing.BLOCKED_BY_CONFIG;
        }
        if (runtimeBlocked.contains(lower)) {
            return Standing.BLOCKED_AT_RUNTIME;
        }
        if (!allowed.isEmpty() && !allowed.contains(lower)) {
            return Standing.NOT_IN_ALLOWED_DOMAINS;
        }
        return Standing.ALLOWED;
    }

    /** Whether {@code federation.allowed_domains} would let {@code domain} through, runtime blocks aside. */
    public boolean allowListAdmits(String domain) {
        return allowed.isEmpty() || allowed.contains(domain.toLowerCase(Locale.ROOT));
    }

    /** Adds a runtime block; false when there already was one. */
    public boolean blockAtRuntime(String domain) { return runtimeBlocked.add(domain.toLowerCase(Locale.ROOT)); }

    /** Lifts a runtime block; false when there was none. Blocks of the configuration stay. */
    public boolean unblockAtRuntime(String domain) { return runtimeBlocked.remove(domain.toLowerCase(Locale.ROOT)); }

    /** The domains {@code federation.blocked_domains} names, sorted. */
    public Set<String> blockedByConfig() { return new TreeSet<>(configBlocked); }

    /** The domains blocked at runtime, sorted. */
    public Set<String> blockedAtRuntime() { return new TreeSet<>(runtimeBlocked); }

    /**
     * Of the {@code federation.hosts} domains, those that allow-only mode refuses, sorted: an admin who lists a peer's
     * address most likely meant to federate with it, and would otherwise only learn why nothing flows from bounces.
     */
    public Set<String> hostsRefusedByAllowList(Collection<String> hosts) {
        Set<String> refused = new TreeSet<>();
        for (String host : hosts) {
            if (!allowListAdmits(host)) {
                refused.add(host.toLowerCase(Locale.ROOT));
            }
        }
        return refused;
    }
}
