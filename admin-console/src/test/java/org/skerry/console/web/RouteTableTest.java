package org.skerry.console.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTableTest {
    private final RouteTable<String> routes = new RouteTable<>();

    {
        routes.add("GET", "/users", "list");
        routes.add("GET", "/users/{jid}", "one");
        routes.add("POST", "/users/{jid}/lock", "lock");
        routes.add("GET", "/", "home");
    }

    @Test
    void matchesMethodAndTemplateAndDecodesParameters() {
        assertThat(routes.find("GET", "/users").target()).isEqualTo("list");
        assertThat(routes.find("GET", "/users/").target()).isEqualTo("list");
        RouteTable.Match<String> one = routes.find("GET", "/users/alice%40example.org");
        assertThat(one.target()).isEqualTo("one");
        assertThat(one.params()).isEqualTo(Map.of("jid", "alice@example.org"));
        assertThat(routes.find("POST", "/users/bob@x/lock").params()).containsEntry("jid", "bob@x");
        assertThat(routes.find("GET", "/").target()).isEqualTo("home");
    }

    @Test
    void refusesOtherMethodsExtraSegmentsAndEmptyParameters() {
        assertThat(routes.find("DELETE", "/users")).isNull();
        assertThat(routes.hasPath("/users")).isTrue();
        assertThat(routes.find("GET", "/users/a/b/c")).isNull();
        assertThat(routes.hasPath("/nothing")).isFalse();
        assertThat(routes.find("POST", "/users//lock")).isNull();
    }
}
