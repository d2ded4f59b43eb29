package org.skerry.interop.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.skerry.interop.SmackClients;

/** The console in a real Chromium: sign-in, the dashboard and its live refresh, a phone-sized window. */
@EnabledIfSystemProperty(named = "skerry.interop", matches = "true")
class ConsoleBrowserTest {
    private static ConsoleNode node;

    @BeforeAll
    static void start() { node = ConsoleNode.start(); }

    @AfterAll
    static void stop() { node.close(); }

    @Test
    void anAdminSignsInAndSeesTheDashboardRefreshByItself() throws Exception {
        try (Browser browser = new Browser(node.base())) {
            browser.open("/admin/login");
            browser.screenshot("signin");
            browser.type("input[name=jid]", node.admin().toString());
            browser.type("input[name=password]", "wrong");
            browser.click("form button[type=submit]");
            // A click does not wait for the form's answer, which derives a SCRAM key first: slow on a busy machine.
            browser.waitFor(d -> !d.findElements(By.cssSelector(".flash.error")).isEmpty());
            assertThat(browser.find(".flash.error").getText()).contains("Wrong address or password");

            browser.signIn(node.admin().toString(), ConsoleNode.ADMIN_PASSWORD);
            assertThat(browser.find("h1").getText()).isEqualTo("Dashboard");
            assertThat(browser.find("[data-field=clientsOnline]").getText()).isEqualTo("0");
            browser.screenshot("dashboard");

            // A client logs in: the number changes without a reload (console.js polls the API).
            var client = SmackClients.login(node.node(), "admin", ConsoleNode.ADMIN_PASSWORD, "phone");
            try {
                browser.waitFor(d -> d.findElement(By.cssSelector("[data-field=clientsOnline]")).getText().equals("1"));
            } finally {
                client.disconnect();
            }

            browser.click("header .signout button");
            browser.waitFor(d -> d.getCurrentUrl().endsWith("/admin/login"));
        }
    }

    @Test
    void theDashboardFitsAPhone() {
        try (Browser phone = Browser.phone(node.base())) {
            phone.signIn(node.admin().toString(), ConsoleNode.ADMIN_PASSWORD);
            phone.screenshot("dashboard-phone");
            JavascriptExecutor js = (JavascriptExecutor) phone.driver();
            assertThat((Long) js.executeScript("return window.innerWidth")).isEqualTo(390);
            assertThat((Long) js.executeScript("return document.documentElement.scrollWidth"))
                    .as("no horizontal scrolling").isLessThanOrEqualTo(390);
        }
    }
}
