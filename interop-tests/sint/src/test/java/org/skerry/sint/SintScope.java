package org.skerry.sint;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.igniterealtime.smack.inttest.Configuration;

/**
 * Which SINT tests the node is answerable for today. A failing or impossible test in scope fails the build;
 * one out of scope is reported only, until its feature is implemented and its specification moves in here.
 */
final class SintScope {
    /** Tests without a specification reference: login, connections, stream management, plain chat. */
    static final String GENERIC = "generic";

    /**
     * What the node implements: the core (RFC 6120), IM (RFC 6121: roster, presence, subscriptions, messages),
     * and the server-side XEPs it ships. Client-to-client XEPs that only need the node to route stanzas
     * (data forms, chat states, software information) belong here too: they fail only if routing is wrong.
     */
    private static final Set<String> IN_SCOPE = normalized(Set.of(
            "RFC6120", "RFC6121",
            "XEP-0004", // data forms exchanged between two clients
            "XEP-0030", // service discovery
            "XEP-0049", // private XML storage
            "XEP-0050", // ad-hoc commands
            "XEP-0077", // in-band registration
            "XEP-0085", // chat state notifications, client to client
            "XEP-0092", // software version
            "XEP-0115", // entity capabilities
            "XEP-0133", // service administration
            "XEP-0160", // offline messages
            "XEP-0198", // stream management
            "XEP-0199", // ping
            "XEP-0203", // delayed delivery
            "XEP-0232", // software information, in client disco#info
            "XEP-0237")); // roster versioning

    /** Not implemented yet: the features, and everything built on them. */
    private static final Map<String, String> OUT_OF_SCOPE = Map.ofEntries(
            Map.entry("XEP-0045", "multi-user chat"),
            Map.entry("XEP-0048", "bookmarks (of MUC rooms)"),
            Map.entry("XEP-0054", "vcard-temp"),
            Map.entry("XEP-0060", "publish-subscribe"),
            Map.entry("XEP-0080", "user location, on PEP"),
            Map.entry("XEP-0084", "user avatar, on PEP"),
            Map.entry("XEP-0096", "SI file transfer"),
            Map.entry("XEP-0107", "user mood, on PEP"),
            Map.entry("XEP-0108", "user activity, on PEP"),
            Map.entry("XEP-0118", "user tune, on PEP"),
            Map.entry("XEP-0163", "personal eventing protocol"),
            Map.entry("XEP-0191", "blocking command"),
            Map.entry("XEP-0280", "message carbons"),
            Map.entry("XEP-0313", "message archive management"),
            Map.entry("XEP-0333", "chat markers"),
            Map.entry("XEP-0347", "internet of things discovery, control and data"),
            Map.entry("XEP-0363", "HTTP file upload"),
            Map.entry("XEP-0373", "OpenPGP for XMPP, on PEP"),
            Map.entry("XEP-0374", "OpenPGP instant messaging, on PEP"),
            Map.entry("XEP-0384", "OMEMO, on PEP"),
            Map.entry("XEP-0264", "jingle content thumbnails"),
            Map.entry("XEP-0447", "stateless file sharing (SOFT)"));

    private static final Set<String> OUT_OF_SCOPE_NORMALIZED = normalized(OUT_OF_SCOPE.keySet());

    private SintScope() {
    }

    /**
     * A specification in neither list counts as in scope: a test that a new SINT version adds must pass, or
     * someone must decide here, on purpose, that it is not the node's business yet.
     */
    static boolean inScope(String specification) {
        if (specification.equals(GENERIC)) {
            return true;
        }
        return !OUT_OF_SCOPE_NORMALIZED.contains(Configuration.normalizeSpecification(specification));
    }

    static boolean isClassified(String specification) {
        String normalized = Configuration.normalizeSpecification(specification);
        return specification.equals(GENERIC) || IN_SCOPE.contains(normalized) || OUT_OF_SCOPE_NORMALIZED.contains(normalized);
    }

    private static Set<String> normalized(Set<String> specifications) {
        return specifications.stream().map(Configuration::normalizeSpecification).collect(Collectors.toUnmodifiableSet());
    }
}
