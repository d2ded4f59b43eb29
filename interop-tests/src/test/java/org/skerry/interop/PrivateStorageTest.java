package org.skerry.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.iqprivate.PrivateDataManager;
import org.jivesoftware.smackx.iqprivate.packet.DefaultPrivateData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

/** XEP-0049 private XML storage with Smack's PrivateDataManager: kept across logins, private to its account. */
class PrivateStorageTest {
    static final String ELEMENT = "preferences";
    static final String NAMESPACE = "urn:skerry:test:preferences";
    static TestNode node;

    @BeforeAll
    static void start() {
        node = TestNode.start();
        node.createUser("kim", "kim-secret");
        node.createUser("lou", "lou-secret");
    }

    @AfterAll
    static void stop() { node.close(); }

    @Test
    void storedDataComesBackAfterReconnectAndStaysPrivate() throws Exception {
        XMPPTCPConnection kim = SmackClients.login(node, "kim", "kim-secret", "pc");
        try {
            DefaultPrivateData preferences = new DefaultPrivateData(ELEMENT, NAMESPACE);
            preferences.setValue("theme", "dark");
            preferences.setValue("language", "fr");
            PrivateDataManager.getInstanceFor(kim).setPrivateData(preferences);
        } finally {
            kim.disconnect();
        }

        XMPPTCPConnection kimAgain = SmackClients.login(node, "kim", "kim-secret", "phone");
        try {
            DefaultPrivateData stored = (DefaultPrivateData) PrivateDataManager.getInstanceFor(kimAgain).getPrivateData(ELEMENT, NAMESPACE);
            assertThat(stored.getValue("theme")).isEqualTo("dark");
            assertThat(stored.getValue("language")).isEqualTo("fr");
        } finally {
            kimAgain.disconnect();
        }

        XMPPTCPConnection lou = SmackClients.login(node, "lou", "lou-secret", "pc");
        try {
            // Lou's own storage under the same namespace is empty: nothing of Kim's leaks into it.
            DefaultPrivateData lousOwn = (DefaultPrivateData) PrivateDataManager.getInstanceFor(lou).getPrivateData(ELEMENT, NAMESPACE);
            assertThat(lousOwn.getNames()).isEmpty();
            // Asking Kim's account directly is refused.
            IQ peek = new PrivateQuery();
            peek.setTo(JidCreate.bareFrom("kim@" + TestNode.DOMAIN));
            assertThatThrownBy(() -> lou.createStanzaCollectorAndSend(peek).nextResultOrThrow())
                    .isInstanceOfSatisfying(XMPPErrorException.class, e -> assertThat(e.getStanzaError().getCondition())
                            .isEqualTo(StanzaError.Condition.forbidden));
        } finally {
            lou.disconnect();
        }
    }

    /** A jabber:iq:private get for {@link #ELEMENT}, addressable to any JID. */
    private static final class PrivateQuery extends IQ {
        PrivateQuery() {
            super("query", "jabber:iq:private");
            setType(Type.get);
        }

        @Override
        protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
            xml.rightAngleBracket();
            xml.append("<" + ELEMENT + " xmlns='" + NAMESPACE + "'/>");
            return xml;
        }
    }
}
