package org.skerry.bench.load;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Errors counted by reason, from any thread. */
public final class ErrorCounts {
    private final Map<String, LongAdder> byReason = new ConcurrentHashMap<>();

    public void add(String reason) { add(reason, 1); }

    public void add(String reason, long count) {
        if (count > 0) {
            byReason.computeIfAbsent(reason, r -> new LongAdder()).add(count);
        }
    }

    public long total() { return byReason.values().stream().mapToLong(LongAdder::sum).sum(); }

    /** Reason to count, sorted by reason. */
    public Map<String, Long> snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        byReason.forEach((reason, count) -> copy.put(reason, count.sum()));
        return copy;
    }
}
