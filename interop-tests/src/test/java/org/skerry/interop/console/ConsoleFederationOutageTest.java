package org.skerry.interop.console;

import org.skerry.interop.SmackClients;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.skerry.interop.console.ConsoleFederationTest.formToken;
import static org.skerry.interop.console.ConsoleFederationTest.peer;
import static org.skerry.interop.console.FederatedConsoleNodes.B;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the console shows when a peer fails: b.test goes down while a.test has a message for it (the error, the
 * queue, the next retry; retry now fails and says why, then delivers once b.test is back), and a hostile peer's error
 * text, which the console must show as text.
 */
class ConsoleFederationOutageTest {
    private static MarkupPeer markupPeer;
    private static FederatedConsoleNodes nodes;

    @BeforeAll
    static void start() throws Exception {
        markupPeer = new MarkupPeer();
        // A backoff of minutes: only "retry now" makes the next attempt within the test.
        nodes = FederatedConsoleNodes.start("federation.retry_initial=\"5m\"", "federation.retry_max=\"5m\"",
                markupPeer.hostsEntry());
    }

    @AfterAll
    static void stop() throws Exception {
        nodes.close();
        markupPeer.close();
    }

    @Test
    void aPeerThatIsDownShowsItsErrorAndQueueAndRetryNowSaysWhyThenDelivers() throws Exception {
        XMPPTCPConnection alice = FederatedConsoleNodes.login(nodes.a());
        try {
            nodes.stopPeer();
            SmackClients.send(alice, "user@" + B, "held while b.test is down");
            ConsoleClient console = nodes.signedIn();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> peer(console.get("/api/v1/federation/peers"), B).get("nextRetry") != null);

            Map<String, Object> b = peer(console.get("/api/v1/federation/peers"), B);
            assertThat(b).containsEntry("health", "failing").containsEntry("queued", 1)
                    .containsEntry("failedAttempts", 1);
            assertThat((String) b.get("lastError")).startsWith("cannot connect to b.test");
            assertThat(Instant.parse((String) b.get("nextRetry"))).isAfter(Instant.now().plus(Duration.ofMinutes(2)));
            assertThat((String) b.get("nextRetryIn")).matches("[2-5]m\\d\\ds");
            assertThat((String) b.get("oldestQueued")).matches("\\d+s");
            String page = console.get("/admin/federation").body();
            assertThat(page).contains("<tbody class=\"peer health-failing\" data-peer=\"" + B + "\">")
                    .contains("data-field=\"b.test:queued\">1<").contains("cannot connect to b.test");

            HttpResponse<String> failed = console.call("POST", "/api/v1/federation/peers/" + B + "/retry", null);
            assertThat(failed.statusCode()).isEqualTo(200);
            Map<String, Object> outcome = Json.object(failed);
            assertThat(outcome).containsEntry("result", "failed").containsEntry("queued", 1)
                    .containsEntry("delivered", 0);
            assertThat((String) outcome.get("summary")).matches("Could not deliver to b\\.test: cannot connect to"
                    + " b\\.test: .+\\. 1 stanza stays queued; the next attempt is in \\dm\\d\\ds\\.");

            HttpResponse<String> check = console.call("POST", "/api/v1/federation/check", Map.of("domain", B));
            assertThat(check.statusCode()).isEqualTo(200);
            assertThat(Json.object(check)).containsEntry("ok", false);
            assertThat(check.body()).contains("{\"name\":\"tcp\",\"outcome\":\"failed\",\"detail\":\"cannot connect to"
                    + " 127.0.0.1:").contains("Connection refused");

            HttpResponse<String> form = console.postForm("/admin/federation/retry",
                    Map.of("domain", B, "csrf", formToken(console), "back", "/admin/federation"));
            assertThat(form.statusCode()).isEqualTo(303);
            assertThat(console.get("/admin/federation").body())
                    .contains("<p class=\"flash error\" role=\"status\">Could not deliver to b.test: cannot connect");

            nodes.startPeerAgain();
            XMPPTCPConnection bob = FederatedConsoleNodes.login(nodes.b());
            try {
                BlockingQueue<Message> atBob = SmackClients.messagesTo(bob);
                HttpResponse<String> delivered = console.call("POST", "/api/v1/federation/peers/" + B + "/retry", null);
                assertThat(Json.object(delivered)).containsEntry("result", "emptied").containsEntry("delivered", 1)
                        .containsEntry("queued", 0)
                        .containsEntry("summary", "Delivered 1 stanza to b.test; its queue is empty.");
                Message arrived = atBob.poll(10, TimeUnit.SECONDS);
                assertThat(arrived).as("delivered by the retry").isNotNull();
                assertThat(arrived.getBody()).isEqualTo("held while b.test is down");
            } finally {
                bob.disconnect();
            }
            Map<String, Object> back = peer(console.get("/api/v1/federation/peers"), B);
            assertThat(back).containsEntry("health", "ok").containsEntry("queued", 0);
            assertThat(back.get("lastError")).isNull();
        } finally {
            alice.disconnect();
        }
    }

    @Test
    void aPeersErrorTextIsShownAsTextNeverAsMarkup() throws Exception {
        XMPPTCPConnection alice = FederatedConsoleNodes.login(nodes.a());
        try {
            SmackClients.send(alice, "someone@" + MarkupPeer.DOMAIN, "hello?");
        } finally {
            alice.disconnect();
        }
        ConsoleClient console = nodes.signedIn();
        await().atMost(Duration.ofSeconds(20)).until(() -> String.valueOf(peer(console.get("/api/v1/federation/peers"),
                MarkupPeer.DOMAIN).get("lastError")).contains("<script>"));
        assertThat((String) peer(console.get("/api/v1/federation/peers"), MarkupPeer.DOMAIN).get("lastError"))
                .contains(MarkupPeer.TEXT);

        String page = console.get("/admin/federation").body();
        assertThat(page)
                .contains("(&lt;script&gt;alert('peer')&lt;/script&gt;\"&gt;&lt;img src=x onerror=alert(1)&gt;)")
                .doesNotContain("<script>alert(").doesNotContain("<img src=x");
        HttpResponse<String> live = console.get("/api/v1/federation/live");
        assertThat(live.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat((String) Json.object(live).get(MarkupPeer.DOMAIN + ":lastError")).contains(MarkupPeer.TEXT);

        // What an admin types is shown as text too, in the error that refuses it.
        HttpResponse<String> typed = console.postForm("/admin/federation/block", Map.of("domain",
                "<script>alert(1)</script>", "csrf", formToken(console), "back", "/admin/federation"));
        assertThat(typed.statusCode()).isEqualTo(303);
        assertThat(console.get("/admin/federation").body())
                .contains("\"&lt;script&gt;alert(1)&lt;/script&gt;\" is not a valid domain name")
                .doesNotContain("<script>alert(1)");
    }
}
