package org.skerry.server.stream;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Caps on open connections, in total and per IP, so that one host cannot take every file descriptor. */
public final class ConnectionLimits {
    private final int maxTotal;
    private final int maxPerIp;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicInteger> perIp = new ConcurrentHashMap<>();

    public ConnectionLimits(int maxTotal, int maxPerIp) {
        this.maxTotal = maxTotal;
        this.maxPerIp = maxPerIp;
    }

    /** Counts a new connection; false means over a limit (the caller must still {@link #release}). */
    public boolean admit(String ip) {
        int all = total.incrementAndGet();
        int mine = perIp.computeIfAbsent(ip, k -> new AtomicInteger()).incrementAndGet();
        return all <= maxTotal && mine <= maxPerIp;
    }

    public void release(String ip) {
        total.decrementAndGet();
        perIp.computeIfPresent(ip, (k, v) -> v.decrementAndGet() <= 0 ? null : v);
    }

    public int open() { return total.get(); }
}
