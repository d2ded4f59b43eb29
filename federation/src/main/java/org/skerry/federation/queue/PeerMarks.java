package org.skerry.federation.queue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * What {@link InboundDeduplicator} knows of one peer, in memory: per sending run of the peer's node (the newest
 * {@code maxRuns}), the highest sequence claimed (checked and being routed or routed), the highest one below which
 * everything finished routing (what may be stored: storing a claim before its routing finished could lose the
 * stanza in a crash), and the highest one stored. Thread-safe.
 */
final class PeerMarks {
    private static final class Run {
        long claimed;
        long stored;
        final TreeSet<Long> routing = new TreeSet<>();
        Instant updated;

        /** The highest sequence below which every claim finished routing: what may be stored. */
        long storable() {
            return routing.isEmpty() ? claimed : routing.first() - 1;
        }

        Run(long stored, Instant updated) {
            this.claimed = stored;
            this.stored = stored;
            this.updated = updated;
        }
    }

    /** Marks to store and runs to delete, taken together by one write, and that write's future to complete. */
    record Unstored(Map<String, Long> marks, List<String> forgotten, CompletableFuture<Void> write) {
        boolean isEmpty() { return marks.isEmpty() && forgotten.isEmpty(); }
    }

    /** The write that will store a finished sequence, and whether the caller must queue it (else it is queued). */
    record Finish(CompletableFuture<Void> write, boolean queueIt) {}

    private final int maxRuns;
    private final List<String> forgotten = new ArrayList<>();
    private final Map<String, Run> runs;
    /** The write queued and not yet started, which takes every finish until it starts. */
    private CompletableFuture<Void> queuedWrite;

    PeerMarks(int maxRuns, Map<String, Long> stored, Instant loadedAt) {
        this.maxRuns = maxRuns;
        this.runs = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Run> eldest) {
                if (size() <= PeerMarks.this.maxRuns) {
                    return false;
                }
                forgotten.add(eldest.getKey());
                return true;
            }
        };
        stored.forEach((run, sequence) -> runs.put(run, new Run(sequence, loadedAt)));
    }

    /** True, and claimed, when {@code sequence} of {@code run} is above everything claimed of that run before. */
    synchronized boolean claim(String run, long sequence, Instant now) {
        Run marks = runs.computeIfAbsent(run, r -> new Run(0, now));
        forgotten.remove(run); // a run evicted and seen again is stored again, not deleted after
        if (sequence <= marks.claimed) {
            return false;
        }
        marks.claimed = sequence;
        marks.routing.add(sequence);
        marks.updated = now;
        return true;
    }

    /**
     * Routing of a claimed sequence finished (or failed: the claim stays, see {@link InboundDeduplicator#abandoned}).
     * Null when nothing new can be stored yet (an earlier sequence of the run is still being routed).
     */
    synchronized Finish finished(String run, long sequence) {
        Run marks = runs.get(run);
        if (marks == null || !marks.routing.remove(sequence)) {
            return null;
        }
        if (marks.storable() <= marks.stored) {
            return null;
        }
        if (queuedWrite != null) {
            return new Finish(queuedWrite, false);
        }
        queuedWrite = new CompletableFuture<>();
        return new Finish(queuedWrite, true);
    }

    /** What the queued write stores, taken when it starts; a finish after this queues the next write. */
    synchronized Unstored takeUnstored() {
        CompletableFuture<Void> write = queuedWrite;
        queuedWrite = null;
        Map<String, Long> marks = new LinkedHashMap<>();
        runs.forEach((run, state) -> {
            if (state.storable() > state.stored) {
                marks.put(run, state.storable());
            }
        });
        Unstored unstored = new Unstored(marks, List.copyOf(forgotten), write);
        forgotten.clear();
        return unstored;
    }

    /** Storage refused to run the queued {@code write}: the next finish queues another. */
    synchronized void writeRefused(CompletableFuture<Void> write) {
        if (queuedWrite == write) {
            queuedWrite = null;
        }
    }

    /** The write of {@code unstored} committed. */
    synchronized void stored(Unstored unstored) {
        unstored.marks().forEach((run, sequence) -> {
            Run state = runs.get(run);
            if (state != null) {
                state.stored = Math.max(state.stored, sequence);
            }
        });
    }

    /**
     * The write of {@code unstored} failed: it is tried again with the next finish. A forgotten run that was claimed
     * again meanwhile stays: deleting it would drop the mark of a run in use.
     */
    synchronized void notStored(Unstored unstored) {
        unstored.forgotten().stream().filter(run -> !runs.containsKey(run)).forEach(forgotten::add);
    }

    /** Forgets runs not updated since {@code cutoff}; true when none is left. */
    synchronized boolean expire(Instant cutoff) {
        runs.values().removeIf(state -> state.updated.isBefore(cutoff) && state.routing.isEmpty());
        return runs.isEmpty() && forgotten.isEmpty() && queuedWrite == null;
    }
}
