package org.skerry.console.settings;

import java.util.Map;
import org.skerry.console.web.ConsoleFeature;
import org.skerry.console.web.ConsoleRoutes;
import org.skerry.console.web.PageResult;

/** The effective configuration, and the one setting that can change while the node runs: in-band registration. */
public final class SettingsFeature implements ConsoleFeature {
    private final SettingsOperations operations;

    public SettingsFeature(SettingsOperations operations) {
        this.operations = operations;
    }

    @Override
    public NavEntry nav() { return new NavEntry("Settings", "/settings", 40); }

    @Override
    public void register(ConsoleRoutes routes) {
        routes.api("GET", "/settings", call -> operations.settings());
        routes.api("POST", "/settings/registration",
                call -> operations.setRegistration(call.admin(), call.field("open", 5)));

        routes.page("GET", "/settings", call -> PageResult.view("settings/settings.jte", "Settings",
                Map.of("settings", operations.settings())));
        routes.page("POST", "/settings/registration", call -> {
            SettingsOperations.Registration now = operations.setRegistration(call.admin(), call.field("open", 5));
            return PageResult.redirect("/admin/settings", "In-band registration is " + (now.open() ? "open" : "closed")
                    + (now.untilRestart() ? " until the node restarts" : ", as the configuration says") + ".");
        });
    }
}
