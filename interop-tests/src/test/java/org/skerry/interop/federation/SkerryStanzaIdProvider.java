package org.skerry.interop.federation;

import java.io.IOException;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.provider.ExtensionElementProvider;
import org.jivesoftware.smack.provider.ProviderManager;
import org.jivesoftware.smack.util.ParserUtils;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;

/**
 * Parses the XEP-0359 {@code <stanza-id/>} that Skerry stamps on stanzas it sends over s2s, for Smack clients on
 * another server. A Skerry receiver removes it, but other servers (Prosody) rightly pass it on to their clients, and
 * Smack 4.4.8 without smack-experimental has no provider for it: its generic provider then fails an assertion
 * (the JDK's StAX reader reports the default namespace's prefix as "" where Smack expects null) and the
 * connection's reader thread dies. Registering a provider for the element is what a client that knows XEP-0359 does.
 */
final class SkerryStanzaIdProvider extends ExtensionElementProvider<StandardExtensionElement> {
    static final String ELEMENT = "stanza-id";
    static final String NAMESPACE = "urn:xmpp:sid:0";

    private SkerryStanzaIdProvider() {}

    static void register() {
        ProviderManager.addExtensionProvider(ELEMENT, NAMESPACE, new SkerryStanzaIdProvider());
    }

    @Override
    public StandardExtensionElement parse(XmlPullParser parser, int initialDepth, XmlEnvironment xmlEnvironment)
            throws XmlPullParserException, IOException {
        StandardExtensionElement.Builder element = StandardExtensionElement.builder(ELEMENT, NAMESPACE);
        for (int i = 0; i < parser.getAttributeCount(); i++) {
            element.addAttribute(parser.getAttributeName(i), parser.getAttributeValue(i));
        }
        ParserUtils.forwardToEndTagOfDepth(parser, initialDepth);
        return element.build();
    }
}
