package org.skerry.federation.link;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Asks the first resolver that knows a domain: {@code federation.hosts} in front of DNS, so that a static entry
 * overrides whatever DNS says.
 */
public final class PeerResolverChain implements PeerResolver {
    private final List<PeerResolver> resolvers;

    public PeerResolverChain(List<PeerResolver> resolvers) { this.resolvers = List.copyOf(resolvers); }

    @Override
    public CompletableFuture<List<PeerAddress>> resolve(String domain) {
        for (PeerResolver resolver : resolvers) {
            if (resolver.knows(domain)) {
                return resolver.resolve(domain);
            }
        }
        return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public boolean knows(String domain) {
        return resolvers.stream().anyMatch(resolver -> resolver.knows(domain));
    }
}
