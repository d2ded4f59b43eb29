package org.skerry.federation.queue;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * Hands a peer's batches to their link in the order they were added, whichever thread added them: the thread that
 * adds drains, unless another one already does (which then takes it too). The peer drops a stanza whose sequence is
 * not above one it already has, so a batch that overtook another would make it drop the one overtaken.
 */
final class Outbox {
    private record Outgoing(PeerLink link, SendWindow.Batch batch) {}

    private final ArrayDeque<Outgoing> waiting = new ArrayDeque<>();
    private boolean draining;
    /** False for a batch whose session failed after it was added: it is dropped, the new session sends it again. */
    private final Predicate<SendWindow.Batch> current;
    /** Called with the batch and null once the peer acknowledged it, or with why it failed. */
    private final BiConsumer<SendWindow.Batch, Throwable> outcome;

    Outbox(Predicate<SendWindow.Batch> current, BiConsumer<SendWindow.Batch, Throwable> outcome) {
        this.current = current;
        this.outcome = outcome;
    }

    /** Adds the batch; the caller adds batches in queue order (under its own lock) and calls {@link #drain} after. */
    synchronized void add(PeerLink link, SendWindow.Batch batch) {
        waiting.addLast(new Outgoing(link, batch));
    }

    /** Hands over what was added, in order; never holds this lock while the link or the outcome runs. */
    void drain() {
        synchronized (this) {
            if (draining) {
                return;
            }
            draining = true;
        }
        try {
            while (true) {
                Outgoing next;
                synchronized (this) {
                    next = waiting.pollFirst();
                    if (next == null) {
                        draining = false;
                        return;
                    }
                }
                if (current.test(next.batch())) {
                    hand(next.link(), next.batch());
                }
            }
        } catch (RuntimeException | Error unexpected) {
            synchronized (this) {
                draining = false; // else no batch of this peer would ever be handed over again
            }
            throw unexpected;
        }
    }

    private void hand(PeerLink link, SendWindow.Batch batch) {
        CompletableFuture<Void> acknowledgement;
        try {
            acknowledgement = link.send(batch.stanzas());
        } catch (RuntimeException e) {
            acknowledgement = CompletableFuture.failedFuture(e);
        }
        acknowledgement.whenComplete((done, failure) -> outcome.accept(batch, failure));
    }
}
