package org.skerry.federation.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.skerry.server.xml.Element;

/**
 * A peer link for tests that stands in for a real s2s stream: it records what it was given, and can be told to be
 * down (not ready), to lose acknowledgements (the peer got the stanzas but the link broke before the ack), to be
 * silent (never acknowledges, like a peer that stalls), or gone (its domain does not exist: no retry can help).
 */
final class RecordingPeerLink implements PeerLink, PeerLinks {
    enum Mode { UP, DOWN, ACK_LOST, SILENT, GONE }

    private volatile Mode mode = Mode.UP;
    private volatile boolean blocked;
    private volatile Consumer<Element> receiver = stanza -> { };
    private final List<Element> written = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<Void>> unacknowledged = new CopyOnWriteArrayList<>();

    void mode(Mode mode) { this.mode = mode; }

    /** Whether the admin blocked every peer domain (federation.blocked_domains). */
    void blocked(boolean blocked) { this.blocked = blocked; }

    /** What the "peer" does with every stanza written to it (for example, route it through a deduplicator). */
    void receiver(Consumer<Element> receiver) { this.receiver = receiver; }

    /** Every stanza written, repeats included, in write order. */
    List<Element> written() { return new ArrayList<>(written); }

    /** The body text of every message written. */
    List<String> writtenBodies() {
        return written.stream().map(stanza -> stanza.childText("body")).toList();
    }

    int unacknowledgedBatches() { return (int) unacknowledged.stream().filter(f -> !f.isDone()).count(); }

    /** The peer acknowledges every batch it has not yet, oldest first. */
    void acknowledgeAll() {
        unacknowledged.forEach(batch -> batch.complete(null));
    }

    /** The link breaks under the batches it never acknowledged, as when the admin closes it. */
    void failUnacknowledged() {
        unacknowledged.forEach(batch -> batch.completeExceptionally(new IllegalStateException("link closed")));
    }

    @Override
    public PeerLink linkFor(String domain) { return this; }

    @Override
    public boolean isBlocked(String domain) { return blocked; }

    @Override
    public boolean isReady() { return mode != Mode.DOWN; }

    @Override
    public CompletableFuture<Void> send(List<Element> stanzas) {
        Mode now = mode;
        if (now == Mode.DOWN) {
            return CompletableFuture.failedFuture(new IllegalStateException("link down"));
        }
        if (now == Mode.GONE) {
            return CompletableFuture.failedFuture(new UndeliverableException(
                    org.skerry.server.xmpp.StanzaError.REMOTE_SERVER_NOT_FOUND, "DNS says the domain does not exist"));
        }
        for (Element stanza : stanzas) {
            written.add(stanza);
            receiver.accept(stanza);
        }
        return switch (now) {
            case UP -> CompletableFuture.completedFuture(null);
            case ACK_LOST -> CompletableFuture.failedFuture(new IllegalStateException("link closed before <a/>"));
            default -> {
                CompletableFuture<Void> never = new CompletableFuture<>();
                unacknowledged.add(never);
                yield never;
            }
        };
    }
}
