package org.skerry.federation.queue;

import java.time.Instant;

/**
 * What an admin's "retry now" of one peer led to.
 *
 * @param domain     the peer domain
 * @param result     how the run of attempts ended
 * @param delivered  stanzas the peer acknowledged during the run
 * @param bounced    stanzas bounced during the run (too old, or the peer was blocked meanwhile)
 * @param queued     stanzas still queued when the run ended
 * @param error      why the attempt failed (for {@link Result#FAILED}), else null
 * @param nextRetry  when the backoff tries again (for {@link Result#FAILED}), else null
 */
public record RetryOutcome(String domain, Result result, long delivered, long bounced, long queued, String error,
                          Instant nextRetry) {

    public enum Result {
        /** The queue ran empty: everything was delivered or bounced, or nothing was queued. */
        EMPTIED,
        /** An attempt failed; the backoff timer runs again. */
        FAILED,
        /** The attempt is still going after the admin's wait (a long queue, or a slow connect). */
        STILL_SENDING,
        /** Federation is stopping. */
        STOPPED
    }
}
