package org.skerry.federation.queue;

import java.time.Instant;

/**
 * A snapshot of one peer's outbound queue, for diagnostics (console, {@code federation check}).
 *
 * @param domain         the peer domain
 * @param depth          stanzas accepted and not yet acknowledged or bounced (in flight included)
 * @param inFlight       stanzas sent and waiting for the peer's acknowledgement
 * @param failedAttempts delivery attempts that failed since the last success
 * @param nextRetry      when the next attempt is due, or null when none is scheduled
 * @param lastError      why the last attempt failed, or null after a success
 */
public record PeerStatus(String domain, long depth, int inFlight, int failedAttempts, Instant nextRetry,
                         String lastError) {}
