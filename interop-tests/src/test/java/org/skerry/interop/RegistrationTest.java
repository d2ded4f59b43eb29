package org.skerry.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.iqregister.AccountManager;
import org.jivesoftware.smackx.iqregister.packet.Registration;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.parts.Localpart;
import org.skerry.server.xmpp.Jid;

/** XEP-0077 in-band registration with Smack's AccountManager: closed by default, open on request, throttled per IP. */
class RegistrationTest {

    @Test
    void registrationIsClosedByDefault() throws Exception {
        try (TestNode node = TestNode.start()) {
            XMPPTCPConnection anonymous = connectOnly(node);
            try {
                assertThat(anonymous.hasFeature(Registration.Feature.ELEMENT, Registration.Feature.NAMESPACE)).isFalse();
                assertThatThrownBy(() -> AccountManager.getInstance(anonymous)
                        .createAccount(Localpart.from("mallory"), "mallory-secret"))
                        .isInstanceOfSatisfying(XMPPErrorException.class, e -> assertThat(e.getStanzaError().getCondition())
                                .isEqualTo(StanzaError.Condition.service_unavailable));
            } finally {
                anonymous.disconnect();
            }
            assertThat(node.node().accounts().exists(Jid.of("mallory", TestNode.DOMAIN))).isFalse();
        }
    }

    @Test
    void openRegistrationCreatesAnAccountThatLogsIn() throws Exception {
        try (TestNode node = TestNode.start("c2s.allow_registration=true")) {
            XMPPTCPConnection anonymous = connectOnly(node);
            try {
                assertThat(anonymous.hasFeature(Registration.Feature.ELEMENT, Registration.Feature.NAMESPACE)).isTrue();
                AccountManager accounts = AccountManager.getInstance(anonymous);
                assertThat(accounts.supportsAccountCreation()).isTrue();
                accounts.createAccount(Localpart.from("newcomer"), "newcomer-secret");
            } finally {
                anonymous.disconnect();
            }
            XMPPTCPConnection newcomer = SmackClients.login(node, "newcomer", "newcomer-secret", "pc");
            assertThat(newcomer.isAuthenticated()).isTrue();
            newcomer.disconnect();
        }
    }

    @Test
    void aTakenUsernameIsAConflict() throws Exception {
        try (TestNode node = TestNode.start("c2s.allow_registration=true")) {
            node.createUser("taken", "first-owner");
            XMPPTCPConnection anonymous = connectOnly(node);
            try {
                assertThatThrownBy(() -> AccountManager.getInstance(anonymous).createAccount(Localpart.from("taken"), "second"))
                        .isInstanceOfSatisfying(XMPPErrorException.class, e -> assertThat(e.getStanzaError().getCondition())
                                .isEqualTo(StanzaError.Condition.conflict));
            } finally {
                anonymous.disconnect();
            }
            SmackClients.login(node, "taken", "first-owner", "pc").disconnect(); // the first owner is untouched
        }
    }

    @Test
    void oneAddressRegistersAtMostTheLimitPerWindow() throws Exception {
        try (TestNode node = TestNode.start("c2s.allow_registration=true", "c2s.registration_limit=2",
                "c2s.registration_window=\"6s\"")) {
            long beforeFirst = System.nanoTime();
            long afterFirst = 0;
            for (int i = 1; i <= 2; i++) {
                XMPPTCPConnection anonymous = connectOnly(node);
                try {
                    AccountManager.getInstance(anonymous).createAccount(Localpart.from("user" + i), "secret" + i);
                } finally {
                    anonymous.disconnect();
                }
                afterFirst = i == 1 ? System.nanoTime() : afterFirst;
            }
            XMPPTCPConnection anonymous = connectOnly(node);
            try {
                assertThatThrownBy(() -> AccountManager.getInstance(anonymous).createAccount(Localpart.from("user3"), "secret3"))
                        .isInstanceOfSatisfying(XMPPErrorException.class, e -> assertThat(e.getStanzaError().getCondition())
                                .isEqualTo(StanzaError.Condition.resource_constraint));
            } finally {
                anonymous.disconnect();
            }
            assertThat(node.node().accounts().exists(Jid.of("user2", TestNode.DOMAIN))).isTrue();
            assertThat(node.node().accounts().exists(Jid.of("user3", TestNode.DOMAIN))).isFalse();

            // Once the window has passed, the address may register again.
            assertThat(Duration.ofNanos(System.nanoTime() - beforeFirst)).as("the refusal came within the window")
                    .isLessThan(Duration.ofSeconds(6));
            Thread.sleep(Duration.ofNanos(afterFirst - System.nanoTime()).plusMillis(6_500).toMillis());
            XMPPTCPConnection later = connectOnly(node);
            try {
                AccountManager.getInstance(later).createAccount(Localpart.from("user3"), "secret3");
            } finally {
                later.disconnect();
            }
            assertThat(node.node().accounts().exists(Jid.of("user3", TestNode.DOMAIN))).isTrue();
        }
    }

    @Test
    void aLoggedInUserChangesThePassword() throws Exception {
        try (TestNode node = TestNode.start()) {
            node.createUser("carol", "old-secret");
            XMPPTCPConnection carol = SmackClients.login(node, "carol", "old-secret", "pc");
            try {
                AccountManager.getInstance(carol).changePassword("new-secret");
            } finally {
                carol.disconnect();
            }
            assertThatThrownBy(() -> SmackClients.login(node, "carol", "old-secret", "pc")).hasMessageContaining("not-authorized");
            SmackClients.login(node, "carol", "new-secret", "pc").disconnect();
        }
    }

    @Test
    void aLoggedInUserDeletesTheAccount() throws Exception {
        try (TestNode node = TestNode.start()) {
            node.createUser("dave", "dave-secret");
            XMPPTCPConnection dave = SmackClients.login(node, "dave", "dave-secret", "pc");
            try {
                AccountManager.getInstance(dave).deleteAccount();
                // The server ends the deleted account's session itself (the reply came first).
                await().atMost(Duration.ofSeconds(10)).until(() -> !dave.isConnected());
            } finally {
                dave.disconnect();
            }
            assertThat(node.node().accounts().exists(Jid.of("dave", TestNode.DOMAIN))).isFalse();
            assertThatThrownBy(() -> SmackClients.login(node, "dave", "dave-secret", "pc")).hasMessageContaining("not-authorized");
        }
    }

    @Test
    void aDeletedAccountLeavesNothingToTheNextOwnerOfItsName() throws Exception {
        try (TestNode node = TestNode.start()) {
            node.createUser("ella", "ella-secret");
            node.createUser("finn", "finn-secret");
            XMPPTCPConnection ella = SmackClients.login(node, "ella", "ella-secret", "pc");
            try {
                org.jivesoftware.smackx.iqprivate.packet.DefaultPrivateData notes =
                        new org.jivesoftware.smackx.iqprivate.packet.DefaultPrivateData("notes", "urn:skerry:test:notes");
                notes.setValue("secret", "ella's diary");
                org.jivesoftware.smackx.iqprivate.PrivateDataManager.getInstanceFor(ella).setPrivateData(notes);
                org.jivesoftware.smack.roster.Roster roster = org.jivesoftware.smack.roster.Roster.getInstanceFor(ella);
                roster.reloadAndWait();
                roster.createItem(org.jxmpp.jid.impl.JidCreate.bareFrom("finn@" + TestNode.DOMAIN), "Finn", null);
                AccountManager.getInstance(ella).deleteAccount();
                await().atMost(Duration.ofSeconds(10)).until(() -> !ella.isConnected());
            } finally {
                ella.disconnect();
            }
            // Finn writes to the deleted account: the message must not wait for whoever takes the name next.
            XMPPTCPConnection finn = SmackClients.login(node, "finn", "finn-secret", "pc");
            try {
                finn.sendStanza(finn.getStanzaFactory().buildMessageStanza()
                        .to(org.jxmpp.jid.impl.JidCreate.bareFrom("ella@" + TestNode.DOMAIN)).setBody("for the old ella").build());
                assertThat(org.jivesoftware.smackx.ping.PingManager.getInstanceFor(finn).pingMyServer(true, 10_000)).isTrue();
            } finally {
                finn.disconnect();
            }

            node.createUser("ella", "new-owner");
            XMPPTCPConnection newElla = SmackClients.login(node, "ella", "new-owner", "pc");
            try {
                org.jivesoftware.smackx.iqprivate.packet.DefaultPrivateData inherited =
                        (org.jivesoftware.smackx.iqprivate.packet.DefaultPrivateData) org.jivesoftware.smackx.iqprivate.PrivateDataManager
                                .getInstanceFor(newElla).getPrivateData("notes", "urn:skerry:test:notes");
                assertThat(inherited.getNames()).isEmpty();
                org.jivesoftware.smack.roster.Roster roster = org.jivesoftware.smack.roster.Roster.getInstanceFor(newElla);
                roster.reloadAndWait();
                assertThat(roster.getEntries()).isEmpty();
                assertThat(node.node().storage().offline().count(TestNode.DOMAIN, "ella")).isZero();
            } finally {
                newElla.disconnect();
            }
        }
    }

    /** Connected and secured with STARTTLS, not logged in: what a client registering an account has. */
    static XMPPTCPConnection connectOnly(TestNode node) throws Exception {
        XMPPTCPConnection connection = new XMPPTCPConnection(SmackClients.config(node, null, null, "pc").build());
        connection.setReplyTimeout(10_000);
        connection.connect();
        assertThat(connection.isSecureConnection()).isTrue();
        return connection;
    }
}
