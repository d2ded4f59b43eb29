package org.skerry.console.federation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.skerry.console.web.Call;
import org.skerry.console.web.ConsoleFeature;
import org.skerry.console.web.ConsoleRoutes;
import org.skerry.console.web.PageResult;
import org.skerry.console.web.WebError;
import org.skerry.server.ServerContext;

/**
 * Federation: the peer servers with their links and queues, what an admin does about one (retry now, block,
 * unblock), and {@code federation check} of any domain, as pages under {@code /admin/federation} and as JSON under
 * {@code /api/v1/federation}.
 */
public final class FederationFeature implements ConsoleFeature {
    private static final String PAGE = "/admin/federation";

    private final FederationOperations operations;

    public FederationFeature(ServerContext server) {
        this.operations = new FederationOperations(server);
    }

    @Override
    public NavEntry nav() { return new NavEntry("Federation", "/federation", 20); }

    @Override
    public void register(ConsoleRoutes routes) {
        routes.api("GET", "/federation/peers", call -> operations.peers());
        routes.api("GET", "/federation/live", call -> operations.liveNumbers());
        routes.api("POST", "/federation/peers/{domain}/retry", call -> operations.retryNow(call.path("domain")));
        routes.api("GET", "/federation/blocked", call -> operations.blocked());
        routes.api("POST", "/federation/blocked", call -> operations.block(domainField(call)));
        routes.api("DELETE", "/federation/blocked/{domain}", call -> operations.unblock(call.path("domain")));
        routes.api("POST", "/federation/check", call -> operations.check(domainField(call)));

        routes.page("GET", "/federation", call -> page());
        routes.page("POST", "/federation/retry", call -> {
            FederationOperations.Retry retry = operations.retryNow(domainField(call));
            if (retry.failed()) {
                // The form's "back" field turns this into the page again with the sentence as an error.
                throw new WebError(409, "retry-failed", retry.summary());
            }
            return PageResult.redirect(PAGE, retry.summary());
        });
        routes.page("POST", "/federation/block",
                call -> PageResult.redirect(PAGE, operations.block(domainField(call)).summary()));
        routes.page("POST", "/federation/unblock",
                call -> PageResult.redirect(PAGE, operations.unblock(domainField(call)).summary()));
        routes.page("GET", "/federation/check", call -> checkPage(null));
        // Renders the report instead of redirecting: a check changes nothing, and its report is too long for a flash.
        routes.page("POST", "/federation/check", call -> checkPage(operations.check(domainField(call))));
    }

    private PageResult page() throws WebError {
        Map<String, Object> params = new LinkedHashMap<>();
        boolean enabled = operations.enabled();
        params.put("enabled", enabled);
        params.put("peers", enabled ? operations.peers() : List.of());
        params.put("blocked", enabled ? operations.blocked() : List.of());
        return PageResult.view("federation/peers.jte", "Federation", params);
    }

    private static PageResult checkPage(FederationOperations.CheckReport report) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("report", report);
        return PageResult.view("federation/check.jte", "Check a domain", params);
    }

    private static String domainField(Call call) throws WebError {
        return call.field("domain", FederationOperations.MAX_DOMAIN_LENGTH);
    }
}
