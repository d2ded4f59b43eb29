package org.skerry.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.skerry.federation.queue.PeerLink;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Namespaces;

/** How the queue's batches, which mix sending domains, reach the links of each pair of domains. */
class QueueLinksTest {
    private static final String PEER = "peer.example";

    /** A pair's link that records what it was given and acknowledges only when told to. */
    private static final class PairLink implements PeerLink {
        final String name;
        final List<String> written = new CopyOnWriteArrayList<>();
        final List<CompletableFuture<Void>> pending = new CopyOnWriteArrayList<>();

        PairLink(String name) {
            this.name = name;
        }

        @Override
        public boolean isReady() { return true; }

        @Override
        public CompletableFuture<Void> send(List<Element> stanzas) {
            stanzas.forEach(stanza -> written.add(stanza.attr("id")));
            CompletableFuture<Void> acknowledged = new CompletableFuture<>();
            pending.add(acknowledged);
            return acknowledged;
        }
    }

    /** One link per pair of domains, as the link layer keeps while it lives. */
    private static final class Links implements QueueLinks.DomainLinks {
        final java.util.Map<String, PairLink> byLocalDomain = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public PeerLink linkFor(String localDomain, String remoteDomain) {
            return byLocalDomain.computeIfAbsent(localDomain, PairLink::new);
        }

        PairLink named(String localDomain) {
            return byLocalDomain.get(localDomain);
        }

        @Override
        public boolean isBlocked(String domain) { return false; }

        @Override
        public boolean canResolve(String domain) { return true; }
    }

    private static Element message(String fromDomain, String id) {
        return new Element("message", Namespaces.CLIENT).attr("from", "user@" + fromDomain + "/r")
                .attr("to", "bob@" + PEER).attr("id", id);
    }

    @Test
    void aRunIsNotHeldBackBehindTheAcknowledgementOfAnotherDomainsRun() {
        Links links = new Links();
        QueueLinks queueLinks = new QueueLinks(links, Set.of("a.test", "b.test")::contains);
        PeerLink session = queueLinks.linkFor(PEER);

        CompletableFuture<Void> first = session.send(List.of(message("a.test", "a1"), message("b.test", "b2")));
        session.send(List.of(message("b.test", "b3")));

        // The peer orders stanzas per sending domain: b2 must be on b's link before b3, whatever a's link does.
        assertThat(links.named("b.test").written).containsExactly("b2", "b3");
        assertThat(links.named("a.test").written).containsExactly("a1");
        assertThat(first).isNotDone();
        links.named("a.test").pending.forEach(f -> f.complete(null));
        assertThat(first).isNotDone();
        links.named("b.test").pending.get(0).complete(null);
        assertThat(first).isCompleted();
    }
}
