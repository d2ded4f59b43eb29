package org.skerry.federation.link;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which peer domains this node federates with: none of {@code federation.blocked_domains}, and when
 * {@code federation.allowed_domains} is not empty, only those. Domains match exactly: blocking a domain does not
 * block its subdomains, which are other servers.
 */
public final class PeerPolicy {
    private final Set<String> blocked;
    private final Set<String> allowed;

    public PeerPolicy(List<String> blockedDomains, List<String> allowedDomains) {
        this.blocked = Set.copyOf(blockedDomains);
        this.allowed = Set.copyOf(allowedDomains);
    }

    /** Everyone is welcome. */
    public static PeerPolicy open() { return new PeerPolicy(List.of(), List.of()); }

    public boolean isBlocked(String domain) {
        String lower = domain.toLowerCase(Locale.ROOT);
        return blocked.contains(lower) || (!allowed.isEmpty() && !allowed.contains(lower));
    }
}
