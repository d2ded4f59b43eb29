package org.skerry.federation.link;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The order in which to try SRV targets (RFC 2782, "Usage rules"): ascending priority; within one priority a
 * weighted random draw without replacement, so that a record with twice the weight is picked first twice as often.
 * XEP-0368 mixes {@code _xmpps-server} and {@code _xmpp-server} records into one such order.
 */
final class SrvOrder {
    private SrvOrder() {
    }

    static List<ServiceRecord> order(List<ServiceRecord> records, RandomGenerator random) {
        List<ServiceRecord> byPriority = new ArrayList<>(records);
        byPriority.sort(Comparator.comparingInt(ServiceRecord::priority));
        List<ServiceRecord> ordered = new ArrayList<>(records.size());
        int start = 0;
        while (start < byPriority.size()) {
            int end = start;
            while (end < byPriority.size() && byPriority.get(end).priority() == byPriority.get(start).priority()) {
                end++;
            }
            drawByWeight(new ArrayList<>(byPriority.subList(start, end)), random, ordered);
            start = end;
        }
        return ordered;
    }

    /**
     * RFC 2782: zero-weight records first, then repeatedly pick a number in [0, sum of weights] and take the first
     * record whose running sum reaches it. Zero-weight records thus win only a draw of 0, or when all weights are 0.
     */
    private static void drawByWeight(List<ServiceRecord> remaining, RandomGenerator random, List<ServiceRecord> out) {
        remaining.sort(Comparator.comparing(record -> record.weight() != 0)); // stable: keeps the given order
        while (!remaining.isEmpty()) {
            int total = 0;
            for (ServiceRecord record : remaining) {
                total += record.weight();
            }
            int pick = random.nextInt(total + 1);
            int running = 0;
            for (int i = 0; i < remaining.size(); i++) {
                running += remaining.get(i).weight();
                if (running >= pick) {
                    out.add(remaining.remove(i));
                    break;
                }
            }
        }
    }
}
