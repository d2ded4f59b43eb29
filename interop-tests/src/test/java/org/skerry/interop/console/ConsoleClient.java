package org.skerry.interop.console;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/** A plain HTTP client of the console and its JSON API, with its own cookie jar, as curl or a script would be. */
public final class ConsoleClient {
    private static final Pattern CSRF_IN_JSON = Pattern.compile("\"csrfToken\":\"([^\"]+)\"");

    private final URI base;
    private final HttpClient http;
    private String csrfToken;

    public ConsoleClient(URI base) {
        this(base, HttpClient.newBuilder());
    }

    /** A client of a console served over HTTPS ({@code http.tls}), trusting what {@code tls} trusts. */
    public ConsoleClient(URI base, SSLContext tls) {
        this(base, HttpClient.newBuilder().sslContext(tls));
    }

    private ConsoleClient(URI base, HttpClient.Builder builder) {
        this.base = base;
        this.http = builder.cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Signs in through the API; the session cookie lands in the jar, the CSRF token is kept for changes. */
    public HttpResponse<String> signIn(String jid, String password) {
        HttpResponse<String> response = send(json("POST", "/api/v1/session", Map.of("jid", jid, "password", password)));
        Matcher m = CSRF_IN_JSON.matcher(response.body());
        csrfToken = m.find() ? m.group(1) : null;
        return response;
    }

    public String csrfToken() { return csrfToken; }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET().build());
    }

    /** A JSON call carrying the session's CSRF token, as the console's own pages would. */
    public HttpResponse<String> call(String method, String path, Map<String, ?> body) {
        return send(json(method, path, body));
    }

    /** A JSON call with an explicit CSRF header (or none when null). */
    public HttpResponse<String> callWithCsrf(String method, String path, Map<String, ?> body, String csrf) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(toJson(body)));
        if (csrf != null) {
            b.header("X-CSRF-Token", csrf);
        }
        return send(b.build());
    }

    /** A JSON call with HTTP Basic credentials and no cookie or CSRF token (scripts). */
    public HttpResponse<String> basic(String method, String path, Map<String, ?> body, String jid, String password) {
        String credentials = Base64.getEncoder().encodeToString((jid + ":" + password).getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Basic " + credentials)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(toJson(body))).build());
    }

    /** A form POST to a console page. */
    public HttpResponse<String> postForm(String path, Map<String, String> fields) {
        String form = fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest json(String method, String path, Map<String, ?> body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(toJson(body)));
        if (csrfToken != null) {
            b.header("X-CSRF-Token", csrfToken);
        }
        return b.build();
    }

    /** Flat JSON objects are all the API takes; strings are escaped the way JSON requires. */
    static String toJson(Map<String, ?> body) {
        if (body == null) {
            return "";
        }
        return body.entrySet().stream().map(e -> quote(e.getKey()) + ":" + (e.getValue() instanceof String s ? quote(s)
                : String.valueOf(e.getValue()))).collect(Collectors.joining(",", "{", "}"));
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
