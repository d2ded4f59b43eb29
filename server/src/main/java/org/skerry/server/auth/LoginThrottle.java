package org.skerry.server.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Throttles password guessing, per client IP address and per account, with fixed windows: after
 * {@code maxFailures} failed logins counted from the first failure of a window, further attempts are refused
 * until that window has passed. Nothing is ever banned for longer than one window, so a user (or a test suite)
 * that mistypes a password a few times is never locked out for good.
 *
 * <p>A success clears the account's count (whoever succeeded knows the password) but not the IP's: otherwise an
 * attacker could log in to their own account between guesses at someone else's.
 *
 * <p>Memory is bounded: each map holds at most {@code maxEntries} keys; when full, expired windows are dropped
 * first, then the oldest. Under a flood of distinct keys the oldest counts are forgotten early, which weakens
 * throttling but never blocks anyone wrongly. Thread-safe; calls are cheap and rare (one per login).
 */
public final class LoginThrottle {
    public static final int DEFAULT_MAX_ENTRIES = 100_000;

    private final FailureCounter perIp;
    private final FailureCounter perAccount;
    private final Clock clock;

    public LoginThrottle(int maxFailuresPerIp, int maxFailuresPerAccount, Duration window, Clock clock) {
        this(maxFailuresPerIp, maxFailuresPerAccount, window, clock, DEFAULT_MAX_ENTRIES);
    }

    public LoginThrottle(int maxFailuresPerIp, int maxFailuresPerAccount, Duration window, Clock clock,
            int maxEntries) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive");
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.perIp = new FailureCounter(maxFailuresPerIp, window, maxEntries);
        this.perAccount = new FailureCounter(maxFailuresPerAccount, window, maxEntries);
        this.clock = Objects.requireNonNull(clock);
    }

    /** Whether a login attempt from {@code ip} for {@code account} may proceed; either may be null (unknown yet). */
    public synchronized boolean allowed(String ip, String account) {
        return retryAfter(ip, account).isZero();
    }

    /** How long until an attempt will be allowed; {@link Duration#ZERO} when it is allowed now. */
    public synchronized Duration retryAfter(String ip, String account) {
        Instant now = clock.instant();
        Duration ipWait = perIp.blockedFor(ip, now);
        Duration accountWait = perAccount.blockedFor(account, now);
        return ipWait.compareTo(accountWait) >= 0 ? ipWait : accountWait;
    }

    public synchronized void recordFailure(String ip, String account) {
        Instant now = clock.instant();
        perIp.increment(ip, now);
        perAccount.increment(account, now);
    }

    public synchronized void recordSuccess(String ip, String account) {
        perAccount.clear(account);
    }

    /** Keys currently tracked, for tests of the memory bound. */
    synchronized int trackedKeys() {
        return perIp.size() + perAccount.size();
    }

    /** Failure counts in fixed windows, keyed by IP or account, in window-start order. */
    private static final class FailureCounter {
        private final int maxFailures;
        private final Duration window;
        private final int maxEntries;
        /** Insertion order = window start order, because a key is re-inserted whenever its window restarts. */
        private final LinkedHashMap<String, Window> windows = new LinkedHashMap<>();

        FailureCounter(int maxFailures, Duration window, int maxEntries) {
            if (maxFailures < 1) {
                throw new IllegalArgumentException("the failure limit must be positive");
            }
            this.maxFailures = maxFailures;
            this.window = window;
            this.maxEntries = maxEntries;
        }

        Duration blockedFor(String key, Instant now) {
            Window current = key == null ? null : windows.get(key);
            if (current == null || current.failures < maxFailures) {
                return Duration.ZERO;
            }
            Duration remaining = Duration.between(now, current.start.plus(window));
            return remaining.isNegative() || remaining.isZero() ? Duration.ZERO : remaining;
        }

        void increment(String key, Instant now) {
            if (key == null) {
                return;
            }
            Window current = windows.get(key);
            if (current == null || current.expiredAt(now, window)) {
                windows.remove(key);
                windows.put(key, new Window(now));
                evict(now);
            } else {
                current.failures++;
            }
        }

        void clear(String key) {
            if (key != null) {
                windows.remove(key);
            }
        }

        int size() {
            return windows.size();
        }

        private void evict(Instant now) {
            Iterator<Map.Entry<String, Window>> oldestFirst = windows.entrySet().iterator();
            while (oldestFirst.hasNext()) {
                Window oldest = oldestFirst.next().getValue();
                if (windows.size() > maxEntries || oldest.expiredAt(now, window)) {
                    oldestFirst.remove();
                } else {
                    break;
                }
            }
        }
    }

    private static final class Window {
        final Instant start;
        int failures = 1;

        Window(Instant start) {
            this.start = start;
        }

        boolean expiredAt(Instant now, Duration length) {
            return !now.isBefore(start.plus(length));
        }
    }
}
