package org.skerry.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.impl.JidCreate;
import org.skerry.server.storage.LocalPostgres;

/**
 * A whole node on PostgreSQL (storage.url = jdbc:postgresql:…): the same migrations and SQL as on H2 serve
 * accounts, rosters and offline messages, and they survive a node restart. Needs the Debian package
 * (interop-tests/install-peers.sh), so it runs under -Pinterop only.
 */
@EnabledIfSystemProperty(named = "skerry.interop", matches = "true")
class PostgresNodeTest {
    @TempDir
    Path dir;

    @Test
    void accountsRosterAndOfflineMessagesOnPostgres() throws Exception {
        // Its own directory directly under /tmp: the postgres user must be able to reach it, and a JUnit
        // temporary directory is private to root.
        Path pgDir = Files.createTempDirectory("skerry-pg");
        try (LocalPostgres postgres = LocalPostgres.start(pgDir)) {
            String url = postgres.createDatabase("skerry_node");
            List<String> storage = List.of("storage.url=\"" + url + "\"", "storage.user=\"" + LocalPostgres.SUPERUSER + "\"");
            TestNode node = TestNode.start(Files.createDirectories(dir.resolve("node")), storage);
            try {
                node.createUser("pat", "pat-secret");
                node.createUser("sam", "sam-secret");
                XMPPTCPConnection pat = SmackClients.login(node, "pat", "pat-secret", "a");
                Roster.getInstanceFor(pat).createItem(JidCreate.bareFrom("sam@" + TestNode.DOMAIN), "Sam", null);
                pat.sendStanza(pat.getStanzaFactory().buildMessageStanza().to(JidCreate.from("sam@" + TestNode.DOMAIN))
                        .ofType(Message.Type.chat).setBody("kept in postgres").build());
                org.jivesoftware.smackx.ping.PingManager.getInstanceFor(pat).pingMyServer();
                pat.disconnect();

                node = node.restart();
                assertThat(node.node().storage().database().isPostgres()).isTrue();
                BlockingQueue<Message> received = new LinkedBlockingQueue<>();
                XMPPTCPConnection sam = new XMPPTCPConnection(SmackClients.config(node, "sam", "sam-secret", "b").build());
                sam.addSyncStanzaListener(s -> received.add((Message) s), s -> s instanceof Message);
                sam.connect().login();
                Message m = received.poll(10, TimeUnit.SECONDS);
                assertThat(m).isNotNull();
                assertThat(m.getBody()).isEqualTo("kept in postgres");
                sam.disconnect();

                XMPPTCPConnection patAgain = SmackClients.login(node, "pat", "pat-secret", "a");
                Roster roster = Roster.getInstanceFor(patAgain);
                roster.reloadAndWait();
                assertThat(roster.getEntry(JidCreate.bareFrom("sam@" + TestNode.DOMAIN)).getName()).isEqualTo("Sam");
                patAgain.disconnect();
            } finally {
                node.close();
            }
        }
    }
}
