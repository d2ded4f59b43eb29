package org.skerry.federation.link;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Namespaces;

class StanzaNamespacesTest {
    @Test
    void inheritedNamespacesChangeAndForeignOnesStay() {
        Element message = new Element("message", Namespaces.CLIENT).attr("to", "b@b.test");
        message.addChild("body").addText("hi");
        message.addChild("error").addChild("item-not-found", Namespaces.STANZAS_ERROR);
        message.addChild("x", "jabber:x:data");

        Element onTheWire = StanzaNamespaces.toServer(message);
        assertThat(onTheWire.toXml()).isEqualTo("<message xmlns='jabber:server' to='b@b.test'><body>hi</body>"
                + "<error><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>"
                + "<x xmlns='jabber:x:data'/></message>");
        assertThat(StanzaNamespaces.toClient(onTheWire).toXml()).isEqualTo(message.toXml());
        assertThat(message.namespace()).as("the original is not changed").isEqualTo(Namespaces.CLIENT);
    }
}
