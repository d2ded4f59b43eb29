package org.skerry.server.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.skerry.server.routing.RoutingHarness.CAPULET;
import static org.skerry.server.routing.RoutingHarness.message;
import static org.skerry.server.routing.RoutingHarness.stanza;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.skerry.server.routing.RoutingHarness.Client;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Namespaces;

/** RFC 6121 §8.5: what the core does with a stanza for a local account or resource. */
class LocalDeliveryTest {
    private static final String JULIET = "juliet@capulet.lit";

    private final RoutingHarness harness = new RoutingHarness();
    private final Client romeo = harness.online("romeo@montague.lit/orchard", 0);
    private final Client balcony = harness.online(JULIET + "/balcony", 5);
    private final Client chamber = harness.online(JULIET + "/chamber", 5);
    private final Client garden = harness.online(JULIET + "/garden", 1);
    private final Client attic = harness.online(JULIET + "/attic", -1);
    private final Client hall = harness.bound(JULIET + "/hall"); // bound, no presence yet

    @AfterEach
    void stop() { harness.close(); }

    // ---------------------------------------------------------------- to the bare JID (§8.5.2)

    @ParameterizedTest
    @ValueSource(strings = {"chat", "normal"})
    void aMessageToTheAccountGoesToEveryResourceOfTheHighestNonNegativePriority(String type) {
        Element message = message(type, romeo, JULIET);

        assertThat(harness.router.route(message)).isDone();

        assertThat(balcony.received()).containsExactly(message);
        assertThat(chamber.received()).containsExactly(message);
        assertThat(garden.received()).isEmpty();
        assertThat(attic.received()).isEmpty();
        assertThat(hall.received()).as("not available").isEmpty();
        assertThat(romeo.received()).isEmpty();
    }

    @Test
    void aMessageWithoutTypeIsNormal() {
        Element message = message(null, romeo, JULIET);

        harness.router.route(message);

        assertThat(balcony.received()).containsExactly(message);
    }

    @Test
    void resourcesWithNegativePriorityNeverGetMessagesForTheAccount() {
        harness.sessions.unbind(balcony.session());
        harness.sessions.unbind(chamber.session());
        harness.sessions.unbind(garden.session());
        List<OfflineRequest> offline = recordOfflineRequests(true);

        harness.router.route(message("chat", romeo, JULIET));

        assertThat(attic.received()).isEmpty();
        assertThat(offline).hasSize(1);
    }

    @Test
    void withNoAvailableResourceTheMessageIsOfferedToOfflineStorage() {
        List<OfflineRequest> offline = recordOfflineRequests(false);
        Element message = message("chat", romeo, "nurse@capulet.lit");

        CompletableFuture<Void> routed = harness.router.route(message);

        assertThat(offline).singleElement().satisfies(request -> {
            assertThat(request.stanza()).isSameAs(message);
            assertThat(request.to().toString()).isEqualTo("nurse@capulet.lit");
        });
        assertThat(routed).as("not acknowledged before it is stored").isNotDone();
        offline.get(0).done().complete(true);
        assertThat(routed).isDone();
        assertThat(romeo.received()).as("stored, not bounced").isEmpty();
    }

    @Test
    void withNoAvailableResourceAndNoStorageTheMessageBouncesServiceUnavailable() {
        Element message = message("chat", romeo, "nurse@capulet.lit");

        assertThat(harness.router.route(message)).isDone();

        assertThat(romeo.received()).singleElement()
                .satisfies(error -> assertError(error, "message", "service-unavailable", "nurse@capulet.lit"));
    }

    @Test
    void groupchatToTheAccountIsAnError() {
        harness.router.route(message("groupchat", romeo, JULIET));

        assertThat(balcony.received()).isEmpty();
        assertThat(romeo.received()).singleElement()
                .satisfies(error -> assertError(error, "message", "service-unavailable", JULIET));
    }

    @Test
    void headlineGoesToEveryNonNegativeResource() {
        Element headline = message("headline", romeo, JULIET);

        harness.router.route(headline);

        assertThat(balcony.received()).containsExactly(headline);
        assertThat(chamber.received()).containsExactly(headline);
        assertThat(garden.received()).containsExactly(headline);
        assertThat(attic.received()).isEmpty();
        assertThat(hall.received()).isEmpty();
    }

    @Test
    void anErrorMessageToTheAccountIsIgnored() {
        List<OfflineRequest> offline = recordOfflineRequests(true);

        harness.router.route(message("error", romeo, JULIET));
        harness.router.route(message("error", romeo, "nurse@capulet.lit"));

        assertThat(balcony.received()).isEmpty();
        assertThat(offline).as("not stored either").isEmpty();
        assertThat(romeo.received()).isEmpty();
    }

    // ---------------------------------------------------------------- to a full JID (§8.5.3)

    @Test
    void aStanzaForAnOnlineResourceGoesToThatResourceWhateverItsPriority() {
        Element message = message("chat", romeo, JULIET + "/attic");
        Element iq = stanza("iq", "get", romeo.jid().toString(), JULIET + "/hall");
        iq.addChild("query", "jabber:iq:version");

        harness.router.route(message);
        harness.router.route(iq);

        assertThat(attic.received()).containsExactly(message);
        assertThat(hall.received()).containsExactly(iq);
        assertThat(balcony.received()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"chat", "normal"})
    void chatOrNormalForAGoneResourceIsTreatedAsForTheAccount(String type) {
        Element message = message(type, romeo, JULIET + "/gone");

        harness.router.route(message);

        assertThat(balcony.received()).containsExactly(message);
        assertThat(chamber.received()).containsExactly(message);
        assertThat(garden.received()).isEmpty();
    }

    @Test
    void headlineForAGoneResourceGoesToEveryNonNegativeResource() {
        Element headline = message("headline", romeo, JULIET + "/gone");

        harness.router.route(headline);

        assertThat(garden.received()).containsExactly(headline);
        assertThat(attic.received()).isEmpty();
    }

    @Test
    void chatForAGoneResourceOfAnAccountWithNobodyOnlineIsOfferedToOfflineStorage() {
        List<OfflineRequest> offline = recordOfflineRequests(true);

        harness.router.route(message("chat", romeo, "nurse@capulet.lit/kitchen"));

        assertThat(offline).singleElement()
                .satisfies(request -> assertThat(request.to().toString()).isEqualTo("nurse@capulet.lit"));
    }

    @Test
    void groupchatForAGoneResourceIsAnError() {
        harness.router.route(message("groupchat", romeo, JULIET + "/gone"));

        assertThat(balcony.received()).isEmpty();
        assertThat(romeo.received()).singleElement()
                .satisfies(error -> assertError(error, "message", "service-unavailable", JULIET + "/gone"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"get", "set"})
    void anIqRequestForAGoneResourceIsServiceUnavailable(String type) {
        Element iq = stanza("iq", type, romeo.jid().toString(), JULIET + "/gone");
        iq.addChild("query", "jabber:iq:version");

        harness.router.route(iq);

        assertThat(balcony.received()).isEmpty();
        assertThat(romeo.received()).singleElement()
                .satisfies(error -> assertError(error, "iq", "service-unavailable", JULIET + "/gone"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"result", "error"})
    void anIqResponseForAGoneResourceIsDropped(String type) {
        harness.router.route(stanza("iq", type, romeo.jid().toString(), JULIET + "/gone"));

        assertThat(balcony.received()).isEmpty();
        assertThat(romeo.received()).isEmpty();
    }

    @Test
    void presenceForAGoneResourceIsDroppedSilently() {
        harness.router.route(stanza("presence", null, romeo.jid().toString(), JULIET + "/gone"));
        harness.router.route(stanza("presence", "unavailable", romeo.jid().toString(), JULIET + "/gone"));

        assertThat(balcony.received()).isEmpty();
        assertThat(romeo.received()).isEmpty();
    }

    @Test
    void directedPresenceForAnOnlineResourceIsDelivered() {
        Element presence = stanza("presence", null, romeo.jid().toString(), JULIET + "/garden");

        harness.router.route(presence);

        assertThat(garden.received()).containsExactly(presence);
    }

    // ---------------------------------------------------------------- modules above the core rules

    @Test
    void aModuleAbovePriorityZeroCanTakeOverDelivery() {
        List<StanzaEvent> seen = new ArrayList<>();
        harness.events.on(Events.MESSAGE_BARE, 10, event -> {
            seen.add(event);
            return true;
        });

        harness.router.route(message("chat", romeo, JULIET));

        assertThat(seen).hasSize(1);
        assertThat(balcony.received()).as("the module handled it").isEmpty();
    }

    private List<OfflineRequest> recordOfflineRequests(boolean storeAtOnce) {
        List<OfflineRequest> requests = new ArrayList<>();
        harness.events.on(Events.MESSAGE_OFFLINE, 10, request -> {
            requests.add(request);
            if (storeAtOnce) {
                request.done().complete(true);
            }
            return true;
        });
        return requests;
    }

    /** An RFC 6120 §8.3 error reply: addresses swapped, id kept, the condition in the stanzas namespace. */
    static void assertError(Element error, String kind, String condition, String from) {
        assertThat(error.name()).isEqualTo(kind);
        assertThat(error.attr("type")).isEqualTo("error");
        assertThat(error.attr("from")).isEqualTo(from);
        assertThat(error.attr("id")).isEqualTo("id-" + kind);
        Element body = error.child("error", Namespaces.CLIENT);
        assertThat(body).as("an <error/> child in " + error).isNotNull();
        assertThat(body.child(condition, Namespaces.STANZAS_ERROR)).as(condition + " in " + error).isNotNull();
    }
}
