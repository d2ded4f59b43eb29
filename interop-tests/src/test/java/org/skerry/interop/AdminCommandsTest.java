package org.skerry.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.commands.AdHocCommand;
import org.jivesoftware.smackx.commands.AdHocCommandManager;
import org.jivesoftware.smackx.commands.RemoteCommand;
import org.jivesoftware.smackx.disco.packet.DiscoverItems;
import org.jivesoftware.smackx.xdata.form.FillableForm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;

/** XEP-0050 ad-hoc commands carrying XEP-0133 administration, driven by Smack's AdHocCommandManager. */
class AdminCommandsTest {
    static final String ADMIN = "http://jabber.org/protocol/admin#";
    static TestNode node;
    static String adminPassword;
    static Jid server;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start();
        // The node made the configured admin account at its first start, with a one-time password.
        adminPassword = node.node().initialAdminPasswords().get("admin@" + TestNode.DOMAIN);
        assertThat(adminPassword).isNotNull();
        server = JidCreate.domainBareFrom(TestNode.DOMAIN);
    }

    @AfterAll
    static void stop() { node.close(); }

    @Test
    void theAdminListsTheCommands() throws Exception {
        XMPPTCPConnection admin = SmackClients.login(node, "admin", adminPassword, "console");
        try {
            DiscoverItems items = AdHocCommandManager.getAddHocCommandsManager(admin).discoverCommands(server);
            assertThat(items.getItems()).extracting(DiscoverItems.Item::getNode).contains(ADMIN + "add-user",
                    ADMIN + "delete-user", ADMIN + "change-user-password", ADMIN + "get-online-users-num");
        } finally {
            admin.disconnect();
        }
    }

    @Test
    void theAdminAddsChangesAndDeletesAUser() throws Exception {
        XMPPTCPConnection admin = SmackClients.login(node, "admin", adminPassword, "console");
        try {
            RemoteCommand add = command(admin, "add-user");
            add.execute();
            assertThat(add.getStatus()).isEqualTo(AdHocCommand.Status.executing);
            FillableForm form = new FillableForm(add.getForm());
            form.setAnswer("accountjid", "erin@" + TestNode.DOMAIN);
            form.setAnswer("password", "erin-first");
            form.setAnswer("password-verify", "erin-first");
            add.complete(form);
            assertThat(add.getStatus()).isEqualTo(AdHocCommand.Status.completed);
            SmackClients.login(node, "erin", "erin-first", "pc").disconnect();

            RemoteCommand change = command(admin, "change-user-password");
            change.execute();
            FillableForm newPassword = new FillableForm(change.getForm());
            newPassword.setAnswer("accountjid", "erin@" + TestNode.DOMAIN);
            newPassword.setAnswer("password", "erin-second");
            change.complete(newPassword);
            assertThat(change.getStatus()).isEqualTo(AdHocCommand.Status.completed);
            assertThatThrownBy(() -> SmackClients.login(node, "erin", "erin-first", "pc")).hasMessageContaining("not-authorized");
            SmackClients.login(node, "erin", "erin-second", "pc").disconnect();

            XMPPTCPConnection erinOnline = SmackClients.login(node, "erin", "erin-second", "pc");
            RemoteCommand delete = command(admin, "delete-user");
            delete.execute();
            FillableForm victims = new FillableForm(delete.getForm());
            victims.setAnswer("accountjids", List.of("erin@" + TestNode.DOMAIN));
            delete.complete(victims);
            assertThat(delete.getStatus()).isEqualTo(AdHocCommand.Status.completed);
            // A deleted account's open session ends with it.
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> !erinOnline.isConnected());
            assertThatThrownBy(() -> SmackClients.login(node, "erin", "erin-second", "pc")).hasMessageContaining("not-authorized");
        } finally {
            admin.disconnect();
        }
    }

    @Test
    void addingAnExistingUserIsAConflict() throws Exception {
        node.createUser("hugo", "hugo-secret");
        XMPPTCPConnection admin = SmackClients.login(node, "admin", adminPassword, "console");
        try {
            RemoteCommand add = command(admin, "add-user");
            add.execute();
            FillableForm form = new FillableForm(add.getForm());
            form.setAnswer("accountjid", "hugo@" + TestNode.DOMAIN);
            form.setAnswer("password", "hijacked");
            form.setAnswer("password-verify", "hijacked");
            assertThatThrownBy(() -> add.complete(form)).isInstanceOfSatisfying(XMPPErrorException.class,
                    e -> assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.conflict));
            SmackClients.login(node, "hugo", "hugo-secret", "pc").disconnect(); // the old password still works
        } finally {
            admin.disconnect();
        }
    }

    @Test
    void theOnlineUserCountMatchesTheSessions() throws Exception {
        // A node of its own, so that sessions of the other tests cannot change the count.
        try (TestNode quiet = TestNode.start()) {
            String password = quiet.node().initialAdminPasswords().get("admin@" + TestNode.DOMAIN);
            quiet.createUser("frank", "frank-secret");
            XMPPTCPConnection admin = SmackClients.login(quiet, "admin", password, "console");
            XMPPTCPConnection frankPhone = SmackClients.login(quiet, "frank", "frank-secret", "phone");
            XMPPTCPConnection frankDesk = SmackClients.login(quiet, "frank", "frank-secret", "desk");
            try {
                assertThat(onlineUsers(admin)).isEqualTo(2); // admin and frank; frank's two resources count once
                frankPhone.disconnect();
                frankDesk.disconnect();
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> quiet.node().sessions()
                        .sessions(org.skerry.server.xmpp.Jid.of("frank", TestNode.DOMAIN)).isEmpty());
                assertThat(onlineUsers(admin)).isEqualTo(1);
            } finally {
                frankPhone.disconnect();
                frankDesk.disconnect();
                admin.disconnect();
            }
        }
    }

    @Test
    void aUserWhoIsNotAnAdminSeesNoCommandsAndIsForbidden() throws Exception {
        node.createUser("grace", "grace-secret");
        XMPPTCPConnection grace = SmackClients.login(node, "grace", "grace-secret", "pc");
        try {
            assertThat(AdHocCommandManager.getAddHocCommandsManager(grace).discoverCommands(server).getItems()).isEmpty();
            RemoteCommand add = command(grace, "add-user");
            assertThatThrownBy(add::execute).isInstanceOfSatisfying(XMPPErrorException.class,
                    e -> assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.forbidden));
            RemoteCommand count = command(grace, "get-online-users-num");
            assertThatThrownBy(count::execute).isInstanceOfSatisfying(XMPPErrorException.class,
                    e -> assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.forbidden));
        } finally {
            grace.disconnect();
        }
    }

    private static int onlineUsers(XMPPTCPConnection admin) throws Exception {
        RemoteCommand count = command(admin, "get-online-users-num");
        count.execute();
        assertThat(count.getStatus()).isEqualTo(AdHocCommand.Status.completed);
        return Integer.parseInt(count.getForm().getField("onlineusersnum").getFirstValue());
    }

    private static RemoteCommand command(XMPPTCPConnection connection, String name) {
        return AdHocCommandManager.getAddHocCommandsManager(connection).getRemoteCommand(server, ADMIN + name);
    }
}
