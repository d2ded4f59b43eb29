package org.skerry.federation.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.skerry.federation.link.LinkStatus;
import org.skerry.federation.link.PeerPolicy.Standing;

/**
 * One peer domain as the admin sees it: whether it may federate, its links, and its outbound queue.
 *
 * @param domain          the peer's domain
 * @param standing        allowed, or why not
 * @param links           its links, open ones first (outbound, then inbound), then the last state of ended ones
 * @param queued          stanzas waiting for it (in flight included)
 * @param inFlight        stanzas sent and not yet acknowledged
 * @param oldestQueuedAge how long the oldest waiting stanza has waited, or null when nothing waits
 * @param failedAttempts  delivery attempts that failed since the last success
 * @param nextRetry       when the queue tries again, or null when no attempt is scheduled
 * @param lastError       the last failure (of the queue, else of a link) in plain words, or null
 */
public record PeerReport(String domain, Standing standing, List<LinkStatus> links, long queued, int inFlight,
                         Duration oldestQueuedAge, int failedAttempts, Instant nextRetry, String lastError) {
    public PeerReport {
        links = List.copyOf(links);
    }
}
