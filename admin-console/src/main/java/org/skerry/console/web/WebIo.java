package org.skerry.console.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Reading requests and writing responses for the console and API: bounded bodies, cookies, security headers. */
public final class WebIo {
    /** Forms and JSON bodies are small; a certificate upload is the largest thing an admin sends. */
    public static final int MAX_BODY_BYTES = 256 * 1024;
    /** Up to this much of an oversized body is read and dropped before the 413 goes out. */
    private static final int MAX_DRAINED_BYTES = 4 * 1024 * 1024;
    private static final int MAX_FIELDS = 64;

    private WebIo() {}

    /** The request body as text, refusing anything over {@link #MAX_BODY_BYTES} (413). */
    static String body(Request request) throws WebError {
        long declared = request.getLength();
        if (declared > MAX_DRAINED_BYTES) {
            throw tooLarge(); // not worth reading: the connection closes after the answer
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                // Read (and drop) a moderately oversized rest, so that the client, still sending, reads our 413
                // instead of a reset connection.
                in.readNBytes(MAX_DRAINED_BYTES);
                throw tooLarge();
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw WebError.badRequest("The request body could not be read: " + e.getMessage());
        }
    }

    private static WebError tooLarge() {
        return new WebError(413, "too-large", "The request is larger than " + MAX_BODY_BYTES / 1024 + " KiB");
    }

    /** {@code application/x-www-form-urlencoded} fields (also used for query strings); the first value wins. */
    static Map<String, String> formFields(String encoded) throws WebError {
        Map<String, String> fields = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return fields;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            if (fields.size() >= MAX_FIELDS) {
                throw WebError.badRequest("Too many fields");
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                fields.putIfAbsent(name, value);
            } catch (IllegalArgumentException malformed) {
                throw WebError.badRequest("Malformed form encoding");
            }
        }
        return fields;
    }

    static String cookie(Request request, String name) {
        for (HttpField field : request.getHeaders().getFields(HttpHeader.COOKIE)) {
            for (String part : field.getValue().split(";")) {
                String trimmed = part.trim();
                if (trimmed.startsWith(name + "=")) {
                    String value = trimmed.substring(name.length() + 1);
                    // RFC 6265 §4.1.1 lets a cookie value be wrapped in double quotes (RFC 2965 clients do that).
                    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                            ? value.substring(1, value.length() - 1) : value;
                }
            }
        }
        return null;
    }

    /** Set-Cookie for the console: never readable by scripts, never sent cross-site, Secure under HTTPS. */
    static void setCookie(Response response, String name, String value, boolean secure, long maxAgeSeconds) {
        String cookie = name + "=" + value + "; Path=/; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "") + (maxAgeSeconds >= 0 ? "; Max-Age=" + maxAgeSeconds : "");
        response.getHeaders().add(HttpHeader.SET_COOKIE, cookie);
    }

    /**
     * Headers on every console and API answer: nothing inline may run (CSP without 'unsafe-inline'), no framing,
     * no sniffing, no caching of admin data, no referrer leaks.
     */
    static void securityHeaders(Response response, boolean secure) {
        HttpFields.Mutable headers = response.getHeaders();
        headers.put("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; "
                + "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
        headers.put("X-Frame-Options", "DENY");
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        headers.put(HttpHeader.CACHE_CONTROL, "no-store");
        if (secure) {
            headers.put("Strict-Transport-Security", "max-age=31536000");
        }
    }

    static void write(Response response, Callback callback, int status, String contentType, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        Content.Sink.write(response, true, body, callback);
    }

    static void redirect(Response response, Callback callback, String location) {
        response.setStatus(303);
        response.getHeaders().put(HttpHeader.LOCATION, location);
        response.write(true, null, callback);
    }

    /** The client's address as the socket sees it (the console is not meant to sit behind a proxy). */
    static String remoteIp(Request request) {
        return Request.getRemoteAddr(request);
    }
}
