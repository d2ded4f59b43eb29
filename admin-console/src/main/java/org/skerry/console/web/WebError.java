package org.skerry.console.web;

/**
 * A request the console refuses, with the HTTP status, a stable machine-readable code for the JSON API and a
 * sentence for people. Nothing was changed when one is thrown.
 */
public final class WebError extends Exception {
    private final int status;
    private final String code;

    public WebError(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() { return status; }

    public String code() { return code; }

    public static WebError badRequest(String message) { return new WebError(400, "bad-request", message); }

    public static WebError notFound(String message) { return new WebError(404, "not-found", message); }

    public static WebError conflict(String message) { return new WebError(409, "conflict", message); }
}
