package org.skerry.federation.queue;

import java.time.Duration;
import org.skerry.server.config.FederationConfig;

/**
 * How the outbound queue behaves.
 *
 * @param maxAge         a stanza not acknowledged after this long bounces with remote-server-timeout
 *                       ({@code federation.queue_max_age})
 * @param maxPerPeer     stanzas a peer's queue may hold; more are refused with resource-constraint
 * @param batchSize      stanzas read from storage and handed to the link at once: a peer's memory bound
 * @param ackTimeout     a batch the peer has not acknowledged after this long counts as failed and is sent again
 * @param retryInitial   backoff after the first failure ({@code federation.retry_initial})
 * @param retryMax       backoff ceiling ({@code federation.retry_max}); also bounds how late an expired stanza
 *                       of an unreachable peer bounces
 */
public record QueueSettings(Duration maxAge, int maxPerPeer, int batchSize, Duration ackTimeout,
                            Duration retryInitial, Duration retryMax) {
    public static final int DEFAULT_BATCH_SIZE = 100;
    public static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(60);

    public QueueSettings {
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge must be positive, got " + maxAge);
        }
        if (maxPerPeer < 1 || batchSize < 1) {
            throw new IllegalArgumentException("maxPerPeer and batchSize must be at least 1");
        }
        if (ackTimeout.isNegative() || ackTimeout.isZero()) {
            throw new IllegalArgumentException("ackTimeout must be positive, got " + ackTimeout);
        }
    }

    /** The node's configuration: age, per-peer cap and retry backoff have config keys, the rest are defaults. */
    public static QueueSettings from(FederationConfig config) {
        return new QueueSettings(config.queueMaxAge(), config.queueMaxPerPeer(), DEFAULT_BATCH_SIZE,
                DEFAULT_ACK_TIMEOUT, config.retryInitial(), config.retryMax());
    }
}
