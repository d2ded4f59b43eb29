package org.skerry.interop.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.skerry.interop.HonestUsers;
import org.skerry.interop.RawXmppClient;
import org.skerry.interop.RawXmppClient.StreamEnd;
import org.skerry.interop.TestNode;
import org.skerry.server.auth.ScramClient;

/**
 * Entity bombs and malformed XML over real sockets: each gets its stream error, then {@code </stream:stream>}, then
 * the connection closes; honest users are served as before, and what was stored before is still there.
 */
class MalformedXmlTest {
    /** Billion laughs: nine levels of ten references, 10^9 "lol"s if anything ever expanded it. */
    static final String BILLION_LAUGHS_DTD = billionLaughsDtd();
    static TestNode node;

    @BeforeAll
    static void start() {
        node = TestNode.start();
        node.createUser("mallory", "mallory-secret");
    }

    @AfterAll
    static void stop() { node.close(); }

    @Test
    void entityBombAsTheStreamPrologIsRestrictedXml() throws Exception {
        HonestUsers honest = HonestUsers.prepare(node);
        try (RawXmppClient attacker = RawXmppClient.connect(node)) {
            attacker.send("<?xml version='1.0'?>" + BILLION_LAUGHS_DTD + streamHeaderWithoutDeclaration()
                    + "<message><body>&lol9;</body></message>");
            assertClosedWith(attacker.awaitEnd(RawXmppClient.TIMEOUT), "restricted-xml");
        }
        honest.assertStillServed();
    }

    @Test
    void entityBombAsThePrologOfTheStreamRestartAfterAuthenticationIsRestrictedXml() throws Exception {
        HonestUsers honest = HonestUsers.prepare(node);
        try (RawXmppClient attacker = RawXmppClient.connect(node)) {
            attacker.openStream();
            attacker.startTls();
            assertThat(attacker.authenticate(new ScramClient("SCRAM-SHA-256", "mallory", "mallory-secret")).succeeded()).isTrue();
            attacker.send("<?xml version='1.0'?>" + BILLION_LAUGHS_DTD + streamHeaderWithoutDeclaration());
            assertClosedWith(attacker.awaitEnd(RawXmppClient.TIMEOUT), "restricted-xml");
        }
        honest.assertStillServed();
    }

    @Test
    void entityReferenceInsideAStanzaAfterBindIsRestrictedXml() throws Exception {
        HonestUsers honest = HonestUsers.prepare(node);
        try (RawXmppClient attacker = RawXmppClient.connect(node)) {
            attacker.login("mallory", "mallory-secret", "bomb");
            attacker.send("<message to='mallory@" + TestNode.DOMAIN + "'><body>&lol9;&lol9;&lol9;</body></message>");
            assertClosedWith(attacker.awaitEnd(RawXmppClient.TIMEOUT), "restricted-xml");
        }
        honest.assertStillServed();
    }

    @Test
    void mismatchedTagsAreNotWellFormed() throws Exception {
        HonestUsers honest = HonestUsers.prepare(node);
        try (RawXmppClient attacker = RawXmppClient.connect(node)) {
            attacker.login("mallory", "mallory-secret", "tags");
            attacker.send("<message to='mallory@" + TestNode.DOMAIN + "'><body>unclosed</message>");
            assertClosedWith(attacker.awaitEnd(RawXmppClient.TIMEOUT), "not-well-formed");
        }
        honest.assertStillServed();
    }

    @Test
    void invalidUtf8InsideAStanzaIsNotWellFormed() throws Exception {
        HonestUsers honest = HonestUsers.prepare(node);
        try (RawXmppClient attacker = RawXmppClient.connect(node)) {
            attacker.login("mallory", "mallory-secret", "bytes");
            ByteArrayOutputStream stanza = new ByteArrayOutputStream();
            stanza.writeBytes("<message><body>".getBytes(StandardCharsets.UTF_8));
            stanza.writeBytes(new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE, (byte) 0x80});
            stanza.writeBytes("</body></message>".getBytes(StandardCharsets.UTF_8));
            attacker.sendBytes(stanza.toByteArray());
            assertClosedWith(attacker.awaitEnd(RawXmppClient.TIMEOUT), "not-well-formed");
        }
        honest.assertStillServed();
    }

    @Test
    void binaryGarbageInsteadOfAStreamIsNotWellFormed() throws Exception {
        HonestUsers honest = HonestUsers.prepare(node);
        try (RawXmppClient attacker = RawXmppClient.connect(node)) {
            // The start of a TLS ClientHello: a client speaking direct TLS to the STARTTLS port.
            attacker.sendBytes(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xFC, 0x03, 0x03});
            assertClosedWith(attacker.awaitEnd(RawXmppClient.TIMEOUT), "not-well-formed");
        }
        honest.assertStillServed();
    }

    static void assertClosedWith(StreamEnd end, String condition) {
        assertThat(end.condition()).as("stream error condition; raw answer: %s", end.raw()).isEqualTo(condition);
        assertThat(end.closeTagReceived()).as("</stream:stream> received; raw: %s", end.raw()).isTrue();
        assertThat(end.closeTagEndsTheStream()).as("</stream:stream> after the error, last; raw: %s", end.raw()).isTrue();
        assertThat(end.cleanEof()).as("the node then closed the connection cleanly (%s)", end.abort()).isTrue();
    }

    static String streamHeaderWithoutDeclaration() {
        return RawXmppClient.streamHeader().substring("<?xml version='1.0'?>".length());
    }

    private static String billionLaughsDtd() {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE stream:stream [<!ENTITY lol0 'lol'>");
        for (int level = 1; level <= 9; level++) {
            dtd.append("<!ENTITY lol").append(level).append(" '")
                    .append(("&lol" + (level - 1) + ";").repeat(10)).append("'>");
        }
        return dtd.append("]>").toString();
    }
}
