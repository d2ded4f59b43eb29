package org.skerry.console.web;

import java.util.Map;

/** What a page action answers: a template to render, or (after a change) where to go next with a message. */
public sealed interface PageResult {
    /** Renders {@code template} (a jte file under src/main/jte) with these parameters. */
    record View(String template, String title, Map<String, Object> params) implements PageResult {}

    /** Post/redirect/get: the message is shown once on the next page. */
    record Redirect(String location, String message) implements PageResult {}

    static PageResult view(String template, String title, Map<String, Object> params) {
        return new View(template, title, params);
    }

    static PageResult redirect(String location, String message) {
        return new Redirect(location, message);
    }
}
