package org.skerry.federation.link;

import java.time.Instant;

/**
 * One link, for diagnostics (the console and {@code federation check}).
 *
 * @param localDomain   our side: the domain the link authenticates (outbound) or the stream's 'to' (inbound)
 * @param peerDomain    the other side: the peer we connect to, or the domain that opened the stream (may be null
 *                      until it says)
 * @param direction     who opened it, or BIDIRECTIONAL once it carries stanzas both ways (XEP-0288)
 * @param state         where in its life it is
 * @param since         when it entered that state
 * @param authMethod    "SASL EXTERNAL", "dialback", or null while unauthenticated
 * @param tlsVersion    e.g. "TLSv1.3", or null before TLS
 * @param streamManagement whether XEP-0198 acknowledgements are on: stanzas leave the sender's queue only once the
 *                      receiver acknowledged them, rather than once written to the socket
 * @param stanzasIn     stanzas received and routed
 * @param stanzasOut    stanzas written
 * @param lastError     the last failure on this link, or null
 */
public record LinkStatus(String localDomain, String peerDomain, Direction direction, State state, Instant since,
                         String authMethod, String tlsVersion, boolean streamManagement, long stanzasIn,
                         long stanzasOut, String lastError) {

    public enum Direction { INBOUND, OUTBOUND, BIDIRECTIONAL }

    public enum State { CONNECTING, NEGOTIATING, READY, CLOSED, FAILED }
}
