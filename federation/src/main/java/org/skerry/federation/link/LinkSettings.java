package org.skerry.federation.link;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.skerry.server.config.FederationConfig;
import org.skerry.server.xml.XmlLimits;

/**
 * How links behave: {@code [federation]} sets all but the backlog and the XML limits, which keep the defaults.
 *
 * @param dialback          whether dialback (XEP-0220) is accepted and used, i.e. {@code federation.auth = "dialback"}
 * @param trustAnchors      certificate authorities trusted besides the JDK's, for SASL EXTERNAL
 * @param connectTimeout    from opening a link until it is authenticated (and for a dialback verification)
 * @param keepaliveInterval whitespace is sent after this much silence, so that NAT and firewalls keep the link
 * @param idleTimeout       a link that carried no stanza for this long is closed
 * @param maxInboundLinks   inbound connections beyond this are refused at once
 * @param maxInboundLinksPerIp inbound connections from one IP address beyond this are refused at once
 * @param peerPolicy        which peer domains may authenticate to us and receive from us; live: the admin's
 *                          runtime blocks change it while links run
 * @param peerStanzaRate    stanzas per second an inbound link is read at, once its burst is spent
 * @param peerStanzaBurst   stanzas an inbound link may send at once
 * @param bidi              whether links are offered and requested as bidirectional (XEP-0288)
 * @param maxBacklog        stanzas an outbound link holds while it connects; more are refused
 * @param xmlLimits         per-stanza bounds on what peers send
 */
public record LinkSettings(boolean dialback, List<X509Certificate> trustAnchors, Duration connectTimeout,
                           Duration keepaliveInterval, Duration idleTimeout, int maxInboundLinks,
                           int maxInboundLinksPerIp, PeerPolicy peerPolicy, int peerStanzaRate, int peerStanzaBurst,
                           boolean bidi, int maxBacklog, XmlLimits xmlLimits) {

    public LinkSettings {
        trustAnchors = List.copyOf(trustAnchors);
    }

    public static final int DEFAULT_MAX_BACKLOG = 1000;

    /** From the node's configuration, with the trust anchors already read from their files. */
    public static LinkSettings from(FederationConfig config, List<X509Certificate> trustAnchors) {
        return new LinkSettings(config.auth() == FederationConfig.Auth.DIALBACK, trustAnchors, config.connectTimeout(),
                config.keepaliveInterval(), config.idleTimeout(), config.maxInboundLinks(),
                config.maxInboundLinksPerIp(), new PeerPolicy(config.blockedDomains(), config.allowedDomains()),
                config.peerStanzaRate(), config.peerStanzaBurst(), config.bidi(), DEFAULT_MAX_BACKLOG,
                XmlLimits.defaults());
    }
}
