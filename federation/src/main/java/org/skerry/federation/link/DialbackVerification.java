package org.skerry.federation.link;

import java.util.concurrent.CompletableFuture;
import org.skerry.server.xml.Element;

/**
 * The receiving server's check of a dialback key (XEP-0220 §2.3): a short stream to the authoritative server of
 * the originating domain, secured with TLS, carrying one {@code <db:verify/>}. Completes with the answer: true
 * for valid, false for invalid, exceptionally with a {@link LinkFailure} when the authoritative server cannot be
 * asked.
 */
final class DialbackVerification extends OutboundStream {
    private final String inboundStreamId;
    private final String key;
    private final CompletableFuture<Boolean> verdict = new CompletableFuture<>();
    private boolean asked;

    /**
     * @param receivingDomain   our domain, which the originating server wants to send to
     * @param originatingDomain the domain whose key we check
     * @param inboundStreamId   the id of our inbound stream on which the key arrived
     */
    DialbackVerification(FederationLinks links, String receivingDomain, String originatingDomain,
                         String inboundStreamId, String key) {
        super(links, receivingDomain, originatingDomain);
        this.inboundStreamId = inboundStreamId;
        this.key = key;
    }

    CompletableFuture<Boolean> verdict() { return verdict; }

    @Override
    protected void securedFeatures(Element features) {
        if (!asked) {
            asked = true;
            channel.writeAndFlush(S2sXml.dialback("verify", localDomain, remoteDomain, inboundStreamId, null, key));
        }
    }

    @Override
    protected void securedElement(Element element) {
        if (S2sXml.isDialback(element, "verify") && inboundStreamId.equals(element.attr("id"))
                && remoteDomain.equals(element.attr("from"))) {
            established();
            verdict.complete("valid".equals(element.attr("type")));
            closeStream();
        }
    }

    @Override
    protected void failed(LinkFailure failure) { verdict.completeExceptionally(failure); }

    @Override
    protected void closed() {
        verdict.completeExceptionally(new LinkFailure(org.skerry.server.xmpp.StanzaError.REMOTE_SERVER_NOT_FOUND,
                remoteDomain + " closed the verification stream without an answer"));
    }
}
