package org.skerry.console.federation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.skerry.federation.admin.PeerReport;
import org.skerry.federation.admin.PeerTable;
import org.skerry.federation.link.PeerPolicy.Standing;

/**
 * One peer domain as the console shows it and the API answers it: {@link PeerReport} with its times as ISO-8601
 * text and as ages people read ("3m05s", the words of {@code skerry federation peers}), and a one-word health
 * for the page's colours.
 *
 * @param domain        the peer's domain
 * @param policy        "allowed", "blocked", "blocked (config)" or "not allowed (config)"
 * @param blocked       whether the policy refuses it
 * @param health        "ok" (a link is up and nothing failed), "failing" (deliveries or links fail), "blocked", or
 *                      "idle" (no link open and nothing failed)
 * @param queued        stanzas waiting for it, in flight included
 * @param inFlight      stanzas sent and not yet acknowledged
 * @param oldestQueued  how long the oldest waiting stanza has waited ("-" when none waits)
 * @param failedAttempts delivery attempts that failed since the last success
 * @param nextRetry     when the queue tries again (ISO-8601), or null when no attempt is scheduled
 * @param nextRetryIn   the same as a wait ("4m10s", "now"; "-" when none)
 * @param lastError     the last failure in plain words, or null
 * @param links         its links, open ones first
 */
public record PeerView(String domain, String policy, boolean blocked, String health, long queued, int inFlight,
                       String oldestQueued, int failedAttempts, String nextRetry, String nextRetryIn, String lastError,
                       List<LinkView> links) {

    /**
     * One link of the peer.
     *
     * @param direction        "out" (this node connected), "in" (the peer did), or "bidi" (it carries stanzas both
     *                         ways, XEP-0288)
     * @param state            "connecting", "negotiating", "ready", "closed" or "failed"
     * @param authMethod       "SASL EXTERNAL", "dialback", or null while unauthenticated
     * @param tlsVersion       e.g. "TLSv1.3", or null before TLS
     * @param streamManagement whether the link acknowledges stanzas (XEP-0198)
     * @param since            when it entered its state (ISO-8601)
     * @param forHowLong       how long ago that was ("12m40s")
     * @param stanzasIn        stanzas received on it
     * @param stanzasOut       stanzas written on it
     * @param lastError        its last failure, or null
     */
    public record LinkView(String direction, String state, String authMethod, String tlsVersion,
                           boolean streamManagement, String since, String forHowLong, long stanzasIn, long stanzasOut,
                           String lastError) {
        public boolean ready() { return state.equals("ready"); }
    }

    static PeerView of(PeerReport report, Instant now) {
        List<LinkView> links = report.links().stream().map(link -> new LinkView(
                PeerTable.direction(link.direction()),
                link.state().name().toLowerCase(Locale.ROOT), link.authMethod(), link.tlsVersion(),
                link.streamManagement(), link.since().toString(), PeerTable.age(Duration.between(link.since(), now)),
                link.stanzasIn(), link.stanzasOut(), link.lastError())).toList();
        Instant retry = report.nextRetry();
        return new PeerView(report.domain(), PeerTable.policy(report.standing()),
                report.standing() != Standing.ALLOWED, health(report, links), report.queued(), report.inFlight(),
                PeerTable.age(report.oldestQueuedAge()), report.failedAttempts(),
                retry == null ? null : retry.toString(),
                PeerTable.age(retry == null ? null : Duration.between(now, retry)),
                report.lastError(), links);
    }

    private static String health(PeerReport report, List<LinkView> links) {
        if (report.standing() != Standing.ALLOWED) {
            return "blocked";
        }
        boolean up = links.stream().anyMatch(LinkView::ready);
        if (report.failedAttempts() > 0 || (!up && report.lastError() != null)) {
            return "failing";
        }
        return up ? "ok" : "idle";
    }
}
