package org.skerry.server.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.skerry.server.routing.LocalDeliveryTest.assertError;
import static org.skerry.server.routing.RoutingHarness.CAPULET;
import static org.skerry.server.routing.RoutingHarness.message;
import static org.skerry.server.routing.RoutingHarness.stanza;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.skerry.server.routing.RoutingHarness.Client;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Namespaces;

/** RFC 6120 §10 addressing, IQ dispatch by payload, the remote hand-off, and the server's own IQs. */
class RouterTest {
    private final RoutingHarness harness = new RoutingHarness();
    private final Client romeo = harness.online("romeo@montague.lit/orchard", 0);
    private final Client juliet = harness.online("juliet@capulet.lit/balcony", 0);

    @AfterEach
    void stop() { harness.close(); }

    // ---------------------------------------------------------------- IQs for the server

    @Test
    void anIqForTheServerGoesToTheHandlerOfItsPayloadNamespace() {
        List<StanzaEvent> handled = new ArrayList<>();
        harness.delivery.registerHostIq("urn:xmpp:ping", handled::add);
        Element ping = iq("get", CAPULET, "ping", "urn:xmpp:ping");

        harness.router.route(ping);

        assertThat(handled).singleElement().satisfies(event -> assertThat(event.stanza()).isSameAs(ping));
        assertThat(romeo.received()).isEmpty();
    }

    @Test
    void anIqForTheServerWithAnUnknownNamespaceIsServiceUnavailable() {
        harness.router.route(iq("get", CAPULET, "query", "urn:example:unknown"));

        assertThat(romeo.received()).singleElement()
                .satisfies(error -> assertError(error, "iq", "service-unavailable", CAPULET));
    }

    @Test
    void anIqWithTwoPayloadsIsABadRequest() {
        harness.delivery.registerHostIq("urn:xmpp:ping", event -> { });
        Element twice = iq("get", CAPULET, "ping", "urn:xmpp:ping");
        twice.addChild("ping", "urn:xmpp:ping");

        harness.router.route(twice);

        assertThat(romeo.received()).singleElement()
                .satisfies(error -> assertError(error, "iq", "bad-request", CAPULET));
    }

    @Test
    void anIqGetWithoutPayloadIsABadRequest() {
        harness.router.route(stanza("iq", "get", romeo.jid().toString(), CAPULET));

        assertThat(romeo.received()).singleElement()
                .satisfies(error -> assertError(error, "iq", "bad-request", CAPULET));
    }

    @Test
    void anIqWithAnUnknownTypeIsABadRequest() {
        harness.router.route(iq("fetch", CAPULET, "ping", "urn:xmpp:ping"));

        assertThat(romeo.received()).singleElement()
                .satisfies(error -> assertError(error, "iq", "bad-request", CAPULET));
    }

    @Test
    void anIqForAnAccountGoesToTheAccountHandlers() {
        List<StanzaEvent> handled = new ArrayList<>();
        harness.delivery.registerAccountIq("jabber:iq:roster", handled::add);

        harness.router.route(iq("get", "juliet@capulet.lit", "query", "jabber:iq:roster"));

        assertThat(handled).singleElement()
                .satisfies(event -> assertThat(event.to().toString()).isEqualTo("juliet@capulet.lit"));
        assertThat(juliet.received()).as("the server answers for the account").isEmpty();
    }

    @Test
    void aClientIqWithoutToIsForItsOwnAccount() {
        List<StanzaEvent> handled = new ArrayList<>();
        harness.delivery.registerAccountIq("jabber:iq:roster", handled::add);
        Element iq = stanza("iq", "get", juliet.jid().toString(), null);
        iq.addChild("query", "jabber:iq:roster");

        harness.router.routeFromClient(juliet.session(), iq);

        assertThat(handled).singleElement().satisfies(event -> {
            assertThat(event.to().toString()).isEqualTo("juliet@capulet.lit");
            assertThat(event.origin()).isSameAs(juliet.session());
        });
    }

    // ---------------------------------------------------------------- addresses

    @Test
    void aStanzaForARemoteDomainWithoutFederationIsRemoteServerNotFound() {
        harness.router.route(message("chat", romeo, "benvolio@verona.example"));

        assertThat(romeo.received()).singleElement()
                .satisfies(error -> assertError(error, "message", "remote-server-not-found", "benvolio@verona.example"));
    }

    @Test
    void aStanzaForARemoteDomainGoesToTheRemoteRouter() {
        List<String> domains = new ArrayList<>();
        CompletableFuture<Void> queued = new CompletableFuture<>();
        harness.router.setRemoteRouter((domain, stanza) -> {
            domains.add(domain);
            return queued;
        });

        CompletableFuture<Void> routed = harness.router.route(message("chat", romeo, "benvolio@verona.example/street"));

        assertThat(domains).containsExactly("verona.example");
        assertThat(routed).as("done once the peer's queue has it").isNotDone();
        queued.complete(null);
        assertThat(routed).isDone();
        assertThat(romeo.received()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"juliet@capulet.lit@balcony", "juliet@cap ulet.lit", "@capulet.lit", "juliet@",
        "juliet@capulet.lit/", "juliet@[::1"})
    void aClientStanzaWithAMalformedToIsJidMalformed(String malformed) {
        Element message = message("chat", romeo, malformed);

        assertThat(harness.router.routeFromClient(romeo.session(), message)).isDone();

        assertThat(romeo.received()).singleElement().satisfies(error -> {
            assertThat(error.attr("to")).isEqualTo(romeo.jid().toString());
            assertThat(error.attr("from")).as("the sender's server answers").isEqualTo("montague.lit");
            assertThat(error.child("error", Namespaces.CLIENT).child("jid-malformed", Namespaces.STANZAS_ERROR)).isNotNull();
        });
        assertThat(juliet.received()).isEmpty();
    }

    @Test
    void errorStanzasAreNeverBounced() {
        harness.router.route(message("error", romeo, "benvolio@verona.example"));
        harness.router.route(stanza("iq", "error", romeo.jid().toString(), "juliet@capulet.lit/gone"));
        harness.router.route(stanza("iq", "error", romeo.jid().toString(), "paris@verona.example"));

        assertThat(romeo.received()).isEmpty();
    }

    @Test
    void aBounceToAnUnreachableSenderEndsThere() {
        // A groupchat message to an account bounces; its sender's domain is not reachable either: the error for
        // the error must not be made, or the two would bounce forever.
        Element message = stanza("message", "groupchat", "benvolio@verona.example/street", "juliet@capulet.lit");

        assertThat(harness.router.route(message)).isDone();

        assertThat(juliet.received()).isEmpty();
        assertThat(romeo.received()).isEmpty();
    }

    // ---------------------------------------------------------------- IQs sent by the server

    @Test
    void theServersIqGetsTheResponseWithItsId() throws Exception {
        CompletableFuture<Element> response = new CompletableFuture<>();
        Element ping = stanza("iq", "get", CAPULET, juliet.jid().toString());
        ping.addChild("ping", "urn:xmpp:ping");

        harness.router.sendIq(ping, Duration.ofSeconds(30), response::complete);

        Element sent = juliet.received().get(0);
        String id = sent.attr("id");
        harness.router.route(stanza("iq", "result", juliet.jid().toString(), CAPULET).attr("id", "not-" + id));
        assertThat(response).as("another id is not the response").isNotDone();

        Element result = stanza("iq", "result", juliet.jid().toString(), CAPULET).attr("id", id);
        harness.router.route(result);
        assertThat(response.get(1, TimeUnit.SECONDS)).isSameAs(result);
    }

    @Test
    void eachServerIqGetsItsOwnId() {
        Element first = stanza("iq", "get", CAPULET, juliet.jid().toString());
        Element second = stanza("iq", "get", CAPULET, juliet.jid().toString());

        harness.router.sendIq(first, Duration.ofSeconds(30), r -> { });
        harness.router.sendIq(second, Duration.ofSeconds(30), r -> { });

        assertThat(first.attr("id")).isNotEqualTo(second.attr("id"));
    }

    @Test
    void onlyTheAddresseeCanAnswerTheServersIq() throws Exception {
        CompletableFuture<Element> response = new CompletableFuture<>();
        Element ping = stanza("iq", "get", CAPULET, juliet.jid().toString());
        ping.addChild("ping", "urn:xmpp:ping");
        harness.router.sendIq(ping, Duration.ofSeconds(30), response::complete);
        String id = juliet.received().get(0).attr("id");

        harness.router.route(stanza("iq", "result", romeo.jid().toString(), CAPULET).attr("id", id));
        assertThat(response).as("romeo guessed the id of a ping for juliet").isNotDone();

        Element result = stanza("iq", "error", juliet.jid().toString(), CAPULET).attr("id", id);
        harness.router.route(result);
        assertThat(response.get(1, TimeUnit.SECONDS)).isSameAs(result);
    }

    @Test
    void anUnansweredServerIqTimesOutWithNull() throws Exception {
        CompletableFuture<Element> response = new CompletableFuture<>();
        Element ping = stanza("iq", "get", CAPULET, juliet.jid().toString());
        ping.addChild("ping", "urn:xmpp:ping");

        harness.router.sendIq(ping, Duration.ofMillis(50), response::complete);

        assertThat(response.get(5, TimeUnit.SECONDS)).isNull();
        String id = ping.attr("id");
        harness.router.route(stanza("iq", "result", juliet.jid().toString(), CAPULET).attr("id", id));
        assertThat(juliet.received()).hasSize(1); // only the ping; the late answer goes nowhere
    }

    private Element iq(String type, String to, String payload, String namespace) {
        Element iq = stanza("iq", type, romeo.jid().toString(), to);
        iq.addChild(payload, namespace);
        return iq;
    }
}
