package org.skerry.federation.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.skerry.server.Storage;

/**
 * Writes items of one storage lane in group commits: while a commit runs, newly added items wait in memory and go
 * into the next commit together, in the order they were added. Each item's future completes only when the
 * transaction that holds it returned, so "committed before accepted" holds exactly as with one commit per item;
 * under load one commit carries many items instead of each paying for its own.
 *
 * <p>The waiting list needs no bound of its own: the callers bound what they hand over (a peer's queue
 * reservation, the stanzas a link has in flight), and it only holds what arrived during one commit.
 */
final class GroupCommit<T> {
    private record Waiting<T>(T item, CompletableFuture<Void> committed) {}

    private final Storage storage;
    private final Object lane;
    private final Consumer<List<T>> write;
    private final List<Waiting<T>> waiting = new ArrayList<>();
    private boolean flushQueued;

    /** {@code write} commits all its items in one transaction, or throws and commits none. */
    GroupCommit(Storage storage, Object lane, Consumer<List<T>> write) {
        this.storage = Objects.requireNonNull(storage, "storage");
        this.lane = Objects.requireNonNull(lane, "lane");
        this.write = Objects.requireNonNull(write, "write");
    }

    /**
     * Adds the item {@code make} creates, which runs under this commit's lock: items are written in the order they
     * were made. Completes once the item is committed; exceptionally if its transaction failed or storage refused
     * it. What {@code make} throws is thrown here, and nothing is added.
     */
    CompletableFuture<Void> add(Supplier<T> make) {
        CompletableFuture<Void> committed = new CompletableFuture<>();
        CompletableFuture<Void> flushing = null;
        synchronized (this) {
            waiting.add(new Waiting<>(make.get(), committed));
            if (!flushQueued) {
                flushQueued = true;
                // Queued under the lock (submitting never blocks): once an item is added, its flush is in the lane
                // ahead of anything queued there later, which is what the queue's close waits for.
                flushing = storage.run(lane, () -> {
                    flush();
                    return null;
                });
            }
        }
        if (flushing != null) {
            flushing.whenComplete((done, refused) -> {
                if (refused != null) {
                    failAll(takeWaiting(), refused); // storage never ran the flush
                }
            });
        }
        return committed;
    }

    private void flush() {
        List<Waiting<T>> batch = takeWaiting();
        if (batch.isEmpty()) {
            return;
        }
        List<T> items = new ArrayList<>(batch.size());
        batch.forEach(entry -> items.add(entry.item()));
        try {
            write.accept(items);
        } catch (RuntimeException failure) {
            failAll(batch, failure);
            return;
        }
        batch.forEach(entry -> entry.committed().complete(null));
    }

    private synchronized List<Waiting<T>> takeWaiting() {
        List<Waiting<T>> batch = new ArrayList<>(waiting);
        waiting.clear();
        flushQueued = false;
        return batch;
    }

    private static <T> void failAll(List<Waiting<T>> batch, Throwable failure) {
        batch.forEach(entry -> entry.committed().completeExceptionally(failure));
    }
}
