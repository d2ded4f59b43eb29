package org.skerry.console.web;

/**
 * Where a console feature declares its operations. The same operation backs the JSON API and the page's form, so
 * the two can never drift apart: {@code api} answers JSON under {@code /api/v1}, {@code page} renders HTML under
 * {@code /admin}. Path templates may hold {@code {name}} segments.
 */
public interface ConsoleRoutes {
    /** A JSON operation; GET must not change anything, other methods require CSRF proof or HTTP Basic auth. */
    void api(String method, String pathTemplate, ApiOperation operation);

    /** A page: GET renders a template, POST changes something then redirects (the form carries the CSRF token). */
    void page(String method, String pathTemplate, PageAction action);

    @FunctionalInterface
    interface ApiOperation {
        /** Returns what the JSON response holds (records, lists, maps, strings, numbers). */
        Object run(Call call) throws WebError;
    }

    @FunctionalInterface
    interface PageAction {
        PageResult run(Call call) throws WebError;
    }
}
