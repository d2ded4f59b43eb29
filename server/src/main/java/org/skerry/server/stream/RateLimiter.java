package org.skerry.server.stream;

/**
 * A token bucket for one session's inbound stanzas. When it runs dry the stream stops reading for a moment
 * instead of dropping anything: TCP pushes back on the flooding client and nobody else waits.
 * Used on the channel's event loop only. Public because server-to-server links pace their peers the same way.
 */
public final class RateLimiter {
    private final double perNano;
    private final double capacity;
    private double tokens;
    private long last = System.nanoTime();

    public RateLimiter(int perSecond, int burst) {
        this.perNano = Math.max(1, perSecond) / 1e9;
        this.capacity = Math.max(1, burst);
        this.tokens = capacity;
    }

    public boolean tryAcquire() {
        refill();
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    public long millisUntilToken() {
        refill();
        return tokens >= 1 ? 0 : Math.max(1, (long) Math.ceil((1 - tokens) / perNano / 1e6));
    }

    private void refill() {
        long now = System.nanoTime();
        tokens = Math.min(capacity, tokens + (now - last) * perNano);
        last = now;
    }
}
