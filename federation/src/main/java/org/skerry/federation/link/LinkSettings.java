package org.skerry.federation.link;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.skerry.server.xml.XmlLimits;

/**
 * How links behave. Not yet in {@code [federation]}: these defaults are what Prosody and ejabberd use, and tests
 * shorten them.
 *
 * @param dialback          whether dialback (XEP-0220) is accepted and used, i.e. {@code federation.auth = "dialback"}
 * @param trustAnchors      certificate authorities trusted besides the JDK's, for SASL EXTERNAL
 * @param connectTimeout    from opening a link until it is authenticated (and for a dialback verification)
 * @param keepaliveInterval whitespace is sent after this much silence, so that NAT and firewalls keep the link
 * @param idleTimeout       a link that carried no stanza for this long is closed
 * @param maxInboundLinks   inbound connections beyond this are refused at once
 * @param maxBacklog        stanzas an outbound link holds while it connects; more are refused
 * @param xmlLimits         per-stanza bounds on what peers send
 */
public record LinkSettings(boolean dialback, List<X509Certificate> trustAnchors, Duration connectTimeout,
                           Duration keepaliveInterval, Duration idleTimeout, int maxInboundLinks, int maxBacklog,
                           XmlLimits xmlLimits) {

    public LinkSettings {
        trustAnchors = List.copyOf(trustAnchors);
    }

    public static LinkSettings defaults(boolean dialback) {
        return new LinkSettings(dialback, List.of(), Duration.ofSeconds(30), Duration.ofSeconds(60),
                Duration.ofMinutes(10), 1000, 1000, XmlLimits.defaults());
    }
}
