/**
 * The durable outbound queue of federation, independent of the s2s link code.
 *
 * <ul>
 *   <li>{@link org.skerry.federation.queue.OutboundQueue}: the node's {@code RemoteRouter}. {@code route} stamps an
 *       XEP-0359 stanza-id in the ordered form of {@link org.skerry.federation.queue.SequencedIds}, stores the stanza, then completes; per-peer loops deliver in order through
 *       {@link org.skerry.federation.queue.PeerLinks}, remove on acknowledgement, retry with backoff and jitter,
 *       bounce after {@code federation.queue_max_age}, refuse past the per-peer cap; {@code status()} for
 *       diagnostics, {@code peerReady(domain)} for the link layer.</li>
 *   <li>{@link org.skerry.federation.queue.PeerLink} / {@link org.skerry.federation.queue.PeerLinks}: what the link
 *       layer implements.</li>
 *   <li>{@link org.skerry.federation.queue.InboundDeduplicator}: what the link layer calls for every inbound
 *       stanza ({@code firstTime}, then {@code routed} or {@code abandoned}), keyed by
 *       {@link org.skerry.federation.queue.StanzaIds#assignedBy} with the authenticated peer domain: it keeps the
 *       highest sequence routed per peer and sending run.</li>
 * </ul>
 *
 * <p>Storage: the queue's stanzas in {@link org.skerry.federation.queue.QueueJournal}'s files beside an embedded H2
 * file, or in the {@code federation_queue} table on PostgreSQL ({@code QueueStores} chooses); tables
 * {@code db/migration/V100__federation_queue.sql} and {@code V102__federation_peer_marks.sql} in this module.
 */
package org.skerry.federation.queue;
