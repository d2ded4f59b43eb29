package org.skerry.interop.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.jivesoftware.smack.packet.StreamError;
import org.jivesoftware.smack.sasl.SASLError;
import org.jivesoftware.smack.sasl.SASLErrorException;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.skerry.interop.RawXmppClient;
import org.skerry.interop.SmackClients;
import org.skerry.interop.TestNode;
import org.skerry.server.xmpp.Jid;

/** The Users area in a real Chromium, used as an admin would, with real Smack clients as the user's devices. */
@EnabledIfSystemProperty(named = "skerry.interop", matches = "true")
class ConsoleUsersBrowserTest {
    static final String D = TestNode.DOMAIN;
    private static final String CONVERSATIONS = "http://conversations.im";
    private static ConsoleNode node;

    @BeforeAll
    static void start() {
        node = ConsoleNode.start();
        for (String name : List.of("alice", "bob", "dave", "erin")) {
            node.node().createUser(name, name + "-password");
        }
    }

    @AfterAll
    static void stop() { node.close(); }

    @Test
    void anAdminCreatesAUserKicksItsClientLocksUnlocksAndDeletesIt() throws Exception {
        String carol = "carol@" + D;
        try (Browser browser = new Browser(node.base())) {
            browser.signIn(node.admin().toString(), ConsoleNode.ADMIN_PASSWORD);
            browser.click("header nav a[href='/admin/users']");
            browser.waitFor(d -> d.findElement(By.cssSelector("h1")).getText().equals("Users"));

            browser.type(".users-create input[name=jid]", carol);
            browser.type(".users-create input[name=password]", "carol-password");
            browser.click(".users-create button[type=submit]");
            browser.waitFor(d -> d.getCurrentUrl().endsWith("/admin/users/" + carol));
            assertThat(browser.find(".flash.ok").getText()).isEqualTo("Created " + carol);

            browser.click("main a[href='/admin/users']");
            browser.waitFor(d -> d.findElement(By.cssSelector("h1")).getText().equals("Users"));
            assertThat(browser.find(".users-count").getText()).isEqualTo("6 accounts on " + D);
            assertThat(texts(browser, "table.users td:first-child a")).contains(carol, "admin@" + D, "erin@" + D);
            browser.screenshot("users");

            try (RawXmppClient phone = RawXmppClient.connect(node.node());
                 WatchedClient laptop = new WatchedClient(node.node(), "carol", "carol-password", "laptop")) {
                phone.login("carol", "carol-password", "phone");
                phone.send(ConsoleUserSessionsTest.capsPresence(CONVERSATIONS));

                browser.find("table.users a[href='/admin/users/" + carol + "']").click();
                browser.waitFor(d -> {
                    d.navigate().refresh();
                    return d.findElement(By.cssSelector("main")).getText().contains(CONVERSATIONS)
                            && texts(d, "table.sessions td.resource").size() == 2;
                });
                assertThat(browser.find("h2").getText()).isEqualTo("Live sessions (2)");
                assertThat(browser.find("table.sessions").getText()).contains("127.0.0.1").contains("TLSv1.")
                        .contains("unknown");
                browser.screenshot("user-sessions");

                row(browser, "laptop").findElement(By.cssSelector("button.danger")).click();
                browser.driver().switchTo().alert().accept(); // console.js asks first (form[data-confirm])
                browser.waitFor(d -> d.findElement(By.cssSelector(".flash.ok")).getText()
                        .equals("Disconnected " + carol + "/laptop"));
                StreamError kicked = laptop.awaitStreamError();
                assertThat(kicked.getCondition()).isEqualTo(StreamError.Condition.policy_violation);
                assertThat(kicked.getDescriptiveText()).isEqualTo("Disconnected by an administrator");
                assertThat(texts(browser, "table.sessions td.resource")).containsExactly("phone");

                browser.click("form[action$='/lock'] button");
                browser.driver().switchTo().alert().accept();
                browser.waitFor(d -> d.findElement(By.cssSelector(".flash.ok")).getText().startsWith("Locked " + carol));
                assertThat(browser.find("dl.user-facts").getText()).contains("Locked");
                assertThat(phone.awaitEnd(Duration.ofSeconds(10)).condition()).isEqualTo("policy-violation");
                assertThat(browser.find("main").getText()).contains("Not connected.");
            }
            assertThatThrownBy(() -> login("carol", "carol-password")).isInstanceOfSatisfying(SASLErrorException.class,
                    e -> assertThat(e.getSASLFailure().getSASLError()).isEqualTo(SASLError.account_disabled));

            browser.click("form[action$='/unlock'] button");
            browser.waitFor(d -> d.findElement(By.cssSelector(".flash.ok")).getText().equals("Unlocked " + carol));
            assertThat(browser.find("dl.user-facts").getText()).contains("Active");
            login("carol", "carol-password").disconnect();

            // Deleting asks in the browser and needs the address typed in; a "no" to the question changes nothing.
            browser.type("form[action$='/delete'] input[name=confirm]", carol);
            browser.click("form[action$='/delete'] button");
            browser.driver().switchTo().alert().dismiss();
            assertThat(node.node().node().accounts().exists(Jid.parse(carol))).isTrue();
            browser.click("form[action$='/delete'] button");
            browser.driver().switchTo().alert().accept();
            browser.waitFor(d -> d.getCurrentUrl().endsWith("/admin/users"));
            assertThat(browser.find(".flash.ok").getText()).isEqualTo("Deleted " + carol);
            assertThat(texts(browser, "table.users td:first-child a")).doesNotContain(carol);
            assertThat(node.node().node().accounts().exists(Jid.parse(carol))).isFalse();
        }
    }

    @Test
    void hostileResourceNamesShowAsTextAndRunNothing() throws Exception {
        String script = "<script>alert(1)</script>";
        String image = "\"><img src=x onerror=alert(1)>";
        try (Browser browser = new Browser(node.base());
             WatchedClient a = new WatchedClient(node.node(), "dave", "dave-password", script);
             WatchedClient b = new WatchedClient(node.node(), "dave", "dave-password", image)) {
            browser.signIn(node.admin().toString(), ConsoleNode.ADMIN_PASSWORD);
            browser.open("/admin/users/dave@" + D);
            assertThat(texts(browser, "table.sessions td.resource")).containsExactlyInAnyOrder(script, image);
            assertThat(browser.driver().findElements(By.cssSelector("main img, main script"))).isEmpty();
            assertThatThrownBy(() -> browser.driver().switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
            // The confirmation question quotes the name as text too, and the kick still finds that session.
            row(browser, image).findElement(By.cssSelector("button.danger")).click();
            assertThat(browser.driver().switchTo().alert().getText()).isEqualTo("Disconnect dave@" + D + "/" + image + "?");
            browser.driver().switchTo().alert().accept();
            browser.waitFor(d -> !d.findElements(By.cssSelector(".flash.ok")).isEmpty());
            assertThat(b.awaitStreamError().getCondition()).isEqualTo(StreamError.Condition.policy_violation);
            assertThat(texts(browser, "table.sessions td.resource")).containsExactly(script);
            assertThat(a.closedByServer()).isFalse();
        }
    }

    private static WebElement row(Browser browser, String resource) {
        return browser.driver().findElements(By.cssSelector("table.sessions tbody tr")).stream()
                .filter(r -> r.findElement(By.cssSelector("td.resource")).getText().equals(resource))
                .findFirst().orElseThrow();
    }

    private static List<String> texts(Browser browser, String css) { return texts(browser.driver(), css); }

    private static List<String> texts(WebDriver driver, String css) {
        return driver.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
    }

    private static XMPPTCPConnection login(String user, String password) throws Exception {
        return SmackClients.loginOrThrow(node.node(), user, password, "again");
    }
}
