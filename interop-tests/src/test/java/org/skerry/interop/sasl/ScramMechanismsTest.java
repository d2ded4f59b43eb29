package org.skerry.interop.sasl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.skerry.interop.RawXmppClient;
import org.skerry.interop.RawXmppClient.SaslOutcome;
import org.skerry.interop.TestNode;
import org.skerry.server.auth.ScramClient;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Namespaces;

/**
 * SASL at the protocol level, where Smack cannot go (SCRAM-SHA-256/512 and the -PLUS variants): what the node
 * offers before and after TLS, each SCRAM mechanism with the right and the wrong password (checking the server's
 * signature), tls-server-end-point channel binding and its attacks, PLAIN over TLS, and direct TLS (XEP-0368).
 * The SCRAM side is the server module's independent test client.
 */
class ScramMechanismsTest {
    static final String USER = "sasha";
    static final String PASSWORD = "correct horse battery staple";
    static final String TLS_SERVER_END_POINT = "tls-server-end-point";
    static TestNode node;
    /** The same node but with c2s.require_tls=false, to see what is offered in the clear. */
    static TestNode cleartextNode;

    @BeforeAll
    static void start() {
        // Many failures on purpose here: keep the login throttle out of the way.
        String[] lenient = {"auth.max_failures_per_ip=1000", "auth.max_failures_per_account=1000"};
        node = TestNode.start(lenient);
        node.createUser(USER, PASSWORD);
        cleartextNode = TestNode.start(lenient[0], lenient[1], "c2s.require_tls=false");
        cleartextNode.createUser(USER, PASSWORD);
    }

    @AfterAll
    static void stop() {
        node.close();
        cleartextNode.close();
    }

    @Test
    void withRequiredTlsNoMechanismIsOfferedAndAuthBeforeStartTlsIsRefused() {
        try (RawXmppClient client = RawXmppClient.connect(node)) {
            Element features = client.openStream();
            assertThat(features.child("starttls", Namespaces.TLS).child("required", Namespaces.TLS)).isNotNull();
            assertThat(features.child("mechanisms", Namespaces.SASL)).isNull();

            SaslOutcome outcome = client.authenticate(new ScramClient("SCRAM-SHA-256", USER, PASSWORD));
            assertThat(outcome.failureCondition()).isEqualTo("encryption-required");
        }
    }

    @Test
    void plainInTheClearOnlyWhereTheAdminAcceptedIt() {
        try (TestNode benchmarkNode = TestNode.start("c2s.require_tls=false", "c2s.allow_plain_without_tls=true")) {
            benchmarkNode.createUser(USER, PASSWORD);
            try (RawXmppClient client = RawXmppClient.connect(benchmarkNode)) {
                Element features = client.openStream();
                assertThat(mechanisms(features)).containsExactly("SCRAM-SHA-512", "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN");
                assertThat(features.child("sasl-channel-binding", Namespaces.CHANNEL_BINDING)).isNull();
                assertThat(client.authenticatePlain(USER, "wrong").failureCondition()).isEqualTo("not-authorized");
            }
            try (RawXmppClient client = RawXmppClient.connect(benchmarkNode)) {
                client.openStream();
                assertThat(client.authenticatePlain(USER, PASSWORD).succeeded()).isTrue();
            }
        }
    }

    @Test
    void inTheClearNeitherPlusNorPlainIsOffered() {
        try (RawXmppClient client = RawXmppClient.connect(cleartextNode)) {
            Element features = client.openStream();
            assertThat(mechanisms(features)).containsExactly("SCRAM-SHA-512", "SCRAM-SHA-256", "SCRAM-SHA-1");
            assertThat(features.child("sasl-channel-binding", Namespaces.CHANNEL_BINDING)).isNull();
            assertThat(client.authenticatePlain(USER, PASSWORD).failureCondition()).isEqualTo("invalid-mechanism");
        }
    }

    @Test
    void overTlsPlusVariantsPlainAndTheChannelBindingTypeAreOffered() {
        try (RawXmppClient client = RawXmppClient.connect(node)) {
            client.openStream();
            Element features = client.startTls();
            assertThat(features.child("starttls", Namespaces.TLS)).isNull();
            assertThat(mechanisms(features)).containsExactly("SCRAM-SHA-512-PLUS", "SCRAM-SHA-256-PLUS",
                    "SCRAM-SHA-1-PLUS", "SCRAM-SHA-512", "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN");
            assertThat(channelBindingTypes(features)).contains(TLS_SERVER_END_POINT);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"SCRAM-SHA-1", "SCRAM-SHA-256", "SCRAM-SHA-512",
            "SCRAM-SHA-1-PLUS", "SCRAM-SHA-256-PLUS", "SCRAM-SHA-512-PLUS"})
    void rightPasswordSucceedsWithAValidServerSignatureAndThenBinds(String mechanism) {
        try (RawXmppClient client = tlsClient()) {
            SaslOutcome outcome = client.authenticate(scram(client, mechanism, PASSWORD));
            assertThat(outcome.succeeded()).as("%s: %s", mechanism, outcome.result()).isTrue();
            assertThat(outcome.serverSignatureVerified()).as("the server proved it knows the credential").isTrue();
            assertThat(client.bind("raw")).isEqualTo(USER + "@" + TestNode.DOMAIN + "/raw");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"SCRAM-SHA-1", "SCRAM-SHA-256", "SCRAM-SHA-512",
            "SCRAM-SHA-1-PLUS", "SCRAM-SHA-256-PLUS", "SCRAM-SHA-512-PLUS"})
    void wrongPasswordIsNotAuthorized(String mechanism) {
        try (RawXmppClient client = tlsClient()) {
            assertThat(client.authenticate(scram(client, mechanism, "wrong " + PASSWORD)).failureCondition())
                    .isEqualTo("not-authorized");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"SCRAM-SHA-256-PLUS", "SCRAM-SHA-512-PLUS"})
    void plusWithWrongChannelBindingDataFails(String mechanism) {
        try (RawXmppClient client = tlsClient()) {
            byte[] otherChannel = client.tlsServerEndPoint();
            otherChannel[0] ^= 1; // what a client would compute behind a TLS-terminating man in the middle
            ScramClient scram = new ScramClient(mechanism, USER, PASSWORD).channelBinding(TLS_SERVER_END_POINT, otherChannel);
            assertThat(client.authenticate(scram).failureCondition()).isEqualTo("not-authorized");
        }
    }

    @Test
    void claimingTheServerLacksChannelBindingWhilePlusIsOfferedFails() {
        try (RawXmppClient client = tlsClient()) {
            ScramClient downgraded = new ScramClient("SCRAM-SHA-256", USER, PASSWORD).claimServerLacksChannelBinding();
            assertThat(client.authenticate(downgraded).failureCondition()).isEqualTo("not-authorized");
        }
    }

    @Test
    void claimingTheServerLacksChannelBindingIsFineWhereNoPlusIsOffered() {
        try (RawXmppClient client = RawXmppClient.connect(cleartextNode)) {
            client.openStream();
            ScramClient honestY = new ScramClient("SCRAM-SHA-256", USER, PASSWORD).claimServerLacksChannelBinding();
            SaslOutcome outcome = client.authenticate(honestY);
            assertThat(outcome.succeeded()).as("%s", outcome.result()).isTrue();
            assertThat(outcome.serverSignatureVerified()).isTrue();
        }
    }

    @Test
    void plainOverTlsSucceedsAndBinds() {
        try (RawXmppClient client = tlsClient()) {
            assertThat(client.authenticatePlain(USER, PASSWORD).succeeded()).isTrue();
            assertThat(client.bind("plain")).isEqualTo(USER + "@" + TestNode.DOMAIN + "/plain");
        }
    }

    @Test
    void directTlsOffersPlusAndAuthenticates() {
        try (RawXmppClient client = RawXmppClient.connectDirectTls(node)) {
            Element features = client.openStream();
            assertThat(features.child("starttls", Namespaces.TLS)).as("already encrypted").isNull();
            assertThat(mechanisms(features)).contains("SCRAM-SHA-512-PLUS", "SCRAM-SHA-256-PLUS", "PLAIN");
            SaslOutcome outcome = client.authenticate(scram(client, "SCRAM-SHA-512-PLUS", PASSWORD));
            assertThat(outcome.serverSignatureVerified()).as("%s", outcome.result()).isTrue();
            assertThat(client.bind("direct")).isEqualTo(USER + "@" + TestNode.DOMAIN + "/direct");
        }
    }

    /** Connected, STARTTLS done, features read: ready for {@code <auth/>}. */
    private static RawXmppClient tlsClient() {
        RawXmppClient client = RawXmppClient.connect(node);
        client.openStream();
        client.startTls();
        return client;
    }

    /** A SCRAM client; -PLUS ones bind to the certificate this connection's TLS session presented. */
    private static ScramClient scram(RawXmppClient client, String mechanism, String password) {
        ScramClient scram = new ScramClient(mechanism, USER, password);
        return mechanism.endsWith("-PLUS") ? scram.channelBinding(TLS_SERVER_END_POINT, client.tlsServerEndPoint()) : scram;
    }

    private static List<String> mechanisms(Element features) {
        return features.child("mechanisms", Namespaces.SASL).elements().stream().map(Element::text).toList();
    }

    private static List<String> channelBindingTypes(Element features) {
        Element advertised = features.child("sasl-channel-binding", Namespaces.CHANNEL_BINDING);
        assertThat(advertised).as("XEP-0440 advertisement").isNotNull();
        return advertised.elements().stream().map(e -> e.attr("type")).toList();
    }
}
