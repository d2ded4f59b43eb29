package org.skerry.federation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.skerry.federation.link.FederationLinks;
import org.skerry.federation.link.LinkFailure;
import org.skerry.federation.queue.PeerLink;
import org.skerry.federation.queue.PeerLinks;
import org.skerry.federation.queue.UndeliverableException;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable queue's view of the links: the queue keeps one ordered queue per remote domain, while a link
 * authenticates one pair of domains. A batch is cut into runs by sending domain, each run goes over its pair's link,
 * all at once and in order (the peer orders stanzas per sending domain: a run held back until the one before was
 * acknowledged could be overtaken by the next batch's run of its domain, which the peer would then drop as a repeat).
 * A link failure that no retry cures (the domain does not exist) reaches the queue as an
 * {@link UndeliverableException}, so its stanzas bounce at once.
 */
final class QueueLinks implements PeerLinks {
    private static final Logger log = LoggerFactory.getLogger(QueueLinks.class);

    /** What this needs of the link layer: one link per pair of domains. */
    interface DomainLinks {
        PeerLink linkFor(String localDomain, String remoteDomain);

        boolean isBlocked(String domain);

        boolean canResolve(String domain);
    }

    private final DomainLinks links;
    private final java.util.function.Predicate<String> isLocalDomain;

    QueueLinks(FederationLinks links, java.util.function.Predicate<String> isLocalDomain) {
        this(new DomainLinks() {
            @Override
            public PeerLink linkFor(String localDomain, String remoteDomain) {
                return links.linkFor(localDomain, remoteDomain);
            }

            @Override
            public boolean isBlocked(String domain) { return links.isBlocked(domain); }

            @Override
            public boolean canResolve(String domain) { return links.canResolve(domain); }
        }, isLocalDomain);
    }

    QueueLinks(DomainLinks links, java.util.function.Predicate<String> isLocalDomain) {
        this.links = links;
        this.isLocalDomain = isLocalDomain;
    }

    @Override
    public boolean canReach(String domain) { return !links.isBlocked(domain) && links.canResolve(domain); }

    @Override
    public boolean isBlocked(String domain) { return links.isBlocked(domain); }

    @Override
    public PeerLink linkFor(String remoteDomain) {
        return new PeerLink() {
            /** Links open on demand and hold a short backlog while they connect: a send is always possible. */
            @Override
            public boolean isReady() { return true; }

            @Override
            public CompletableFuture<Void> send(List<Element> stanzas) {
                List<CompletableFuture<Void>> sent = new ArrayList<>();
                try {
                    for (Run run : runs(stanzas)) {
                        sent.add(links.linkFor(run.localDomain(), remoteDomain).send(run.stanzas()));
                    }
                } catch (RuntimeException noLink) {
                    sent.add(CompletableFuture.failedFuture(noLink));
                }
                return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
                        .exceptionallyCompose(QueueLinks::asQueueFailure);
            }
        };
    }

    /** A link failure that no retry cures becomes the queue's cue to bounce at once; any other is retried. */
    private static CompletableFuture<Void> asQueueFailure(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof LinkFailure link && link.isPermanent()) {
            cause = new UndeliverableException(link.condition(), link.getMessage());
        }
        return CompletableFuture.failedFuture(cause);
    }

    private record Run(String localDomain, List<Element> stanzas) {}

    private List<Run> runs(List<Element> stanzas) {
        List<Run> runs = new ArrayList<>();
        for (Element stanza : stanzas) {
            Jid from = Jid.parseOrNull(stanza.attr("from"));
            if (from == null || !isLocalDomain.test(from.domain())) {
                // Only our own domains authenticate links: relaying for another server is never ours to do.
                log.warn("Not sending a stanza from {} over federation", stanza.attr("from"));
                continue;
            }
            if (runs.isEmpty() || !runs.get(runs.size() - 1).localDomain().equals(from.domain())) {
                runs.add(new Run(from.domain(), new ArrayList<>()));
            }
            runs.get(runs.size() - 1).stanzas().add(stanza);
        }
        return runs;
    }
}
