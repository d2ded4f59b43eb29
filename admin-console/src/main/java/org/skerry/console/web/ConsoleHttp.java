package org.skerry.console.web;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.skerry.console.signin.AdminSignIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's two faces over one set of operations: HTML pages under {@code /admin} and JSON under
 * {@code /api/v1}. It authenticates (session cookie, or HTTP Basic for scripts on the API), enforces CSRF proof on
 * every change made with a cookie, applies the security headers, and turns {@link WebError}s into clear answers.
 */
public final class ConsoleHttp implements ConsoleRoutes {
    private static final Logger log = LoggerFactory.getLogger(ConsoleHttp.class);
    public static final String SESSION_COOKIE = "skerry_console";
    /** Double-submit token that protects the sign-in form itself (login CSRF). */
    static final String SIGN_IN_COOKIE = "skerry_signin";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    public static final String CSRF_FIELD = "csrf";
    private static final JSON JSON_OUT = JSON.std;

    private final RouteTable<ApiOperation> apiRoutes = new RouteTable<>();
    private final RouteTable<PageAction> pageRoutes = new RouteTable<>();
    private final List<ConsoleFeature.NavEntry> nav = new ArrayList<>();
    private final ConsoleSessions sessions;
    private final AdminSignIn signIn;
    private final Templates templates;
    private final StaticFiles staticFiles = new StaticFiles();
    private final boolean secure;
    private final String domain;

    public ConsoleHttp(ConsoleSessions sessions, AdminSignIn signIn, Templates templates, boolean secure, String domain) {
        this.sessions = sessions;
        this.signIn = signIn;
        this.templates = templates;
        this.secure = secure;
        this.domain = domain;
    }

    public void add(ConsoleFeature feature) {
        feature.register(this);
        if (feature.nav() != null) {
            nav.add(feature.nav());
            nav.sort(Comparator.comparingInt(ConsoleFeature.NavEntry::order));
        }
    }

    @Override
    public void api(String method, String pathTemplate, ApiOperation operation) {
        apiRoutes.add(method, pathTemplate, operation);
    }

    @Override
    public void page(String method, String pathTemplate, PageAction action) {
        pageRoutes.add(method, pathTemplate, action);
    }

    public Handler apiHandler() { return new Face("/api/v1", this::api); }

    public Handler pageHandler() { return new Face("/admin", this::page); }

    private interface Serve {
        void serve(Request request, Response response, Callback callback, String path) throws Exception;
    }

    /** One mount point; everything after it is the route path. */
    private static final class Face extends Handler.Abstract {
        private final String prefix;
        private final Serve serve;

        Face(String prefix, Serve serve) {
            this.prefix = prefix;
            this.serve = serve;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String path = Request.getPathInContext(request).substring(prefix.length());
            serve.serve(request, response, callback, path.isEmpty() ? "/" : path);
            return true;
        }
    }

    // ------------------------------------------------------------------------------------------------ JSON API

    private void api(Request request, Response response, Callback callback, String path) {
        WebIo.securityHeaders(response, secure);
        String method = request.getMethod();
        try {
            // The body is read before anything can be refused: answering while it is unread makes Jetty close the
            // connection, and a client that reuses it next sees no answer at all.
            String body = method.equals("GET") ? "" : WebIo.body(request);
            if (path.equals("/session")) {
                apiSession(request, response, callback, method, body);
                return;
            }
            RouteTable.Match<ApiOperation> match = apiRoutes.find(method, path);
            if (match == null) {
                throw apiRoutes.hasPath(path) ? new WebError(405, "method-not-allowed", method + " is not allowed here")
                        : WebError.notFound("No such API operation: " + method + " " + path);
            }
            String admin = apiCaller(request, method);
            Map<String, String> fields = jsonFields(body);
            Call call = new Call(match.params(), WebIo.formFields(request.getHttpURI().getQuery()), fields, admin,
                    WebIo.remoteIp(request));
            Object result = match.target().run(call);
            json(response, callback, 200, result == null ? Map.of("ok", true) : result);
        } catch (WebError e) {
            if (e.status() == 401) {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"skerry\"");
            }
            json(response, callback, e.status(), Map.of("error", e.code(), "message", e.getMessage()));
        } catch (RuntimeException e) {
            log.error("API {} {} failed", method, path, e);
            json(response, callback, 500, Map.of("error", "internal", "message", "Internal error: " + e.getMessage()));
        }
    }

    /**
     * Who calls: HTTP Basic (scripts; checked and throttled like a sign-in, no CSRF needed since browsers never
     * send credentials they were not asked for, and we never ask), or the console's session cookie, where every
     * change must carry the session's CSRF token in {@value #CSRF_HEADER}.
     */
    private String apiCaller(Request request, String method) throws WebError {
        String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String[] credentials = BasicCredentials.decode(authorization.substring(6).trim());
            if (credentials == null) {
                throw new WebError(401, "unauthorized", "Malformed Basic credentials");
            }
            AdminSignIn.Result result = signIn.signIn(credentials[0], credentials[1], WebIo.remoteIp(request));
            if (!result.ok()) {
                throw result.retryAfter() != null ? new WebError(429, "throttled", result.refusal())
                        : new WebError(401, "unauthorized", result.refusal());
            }
            return result.admin();
        }
        ConsoleSessions.Session session = sessions.find(WebIo.cookie(request, SESSION_COOKIE));
        if (session == null) {
            throw new WebError(401, "unauthorized", "Sign in first (POST /api/v1/session) or use HTTP Basic auth");
        }
        if (!method.equals("GET") && !ConsoleSessions.sameToken(session.csrfToken(),
                request.getHeaders().get(CSRF_HEADER))) {
            throw new WebError(403, "csrf", "Missing or wrong " + CSRF_HEADER + " header");
        }
        return session.admin();
    }

    /** POST signs in (JSON {jid, password}) and answers the CSRF token; DELETE signs out. */
    private void apiSession(Request request, Response response, Callback callback, String method, String body)
            throws WebError {
        if (method.equals("POST")) {
            Map<String, String> fields = jsonFields(body);
            AdminSignIn.Result result = signIn.signIn(fields.get("jid"), fields.get("password"), WebIo.remoteIp(request));
            if (!result.ok()) {
                throw result.retryAfter() != null ? new WebError(429, "throttled", result.refusal())
                        : new WebError(401, "unauthorized", result.refusal());
            }
            ConsoleSessions.Session session = sessions.create(result.admin());
            WebIo.setCookie(response, SESSION_COOKIE, session.id, secure, -1);
            json(response, callback, 200, Map.of("admin", session.admin(), "csrfToken", session.csrfToken()));
        } else if (method.equals("DELETE")) {
            String admin = apiCaller(request, method);
            sessions.remove(WebIo.cookie(request, SESSION_COOKIE));
            WebIo.setCookie(response, SESSION_COOKIE, "", secure, 0);
            json(response, callback, 200, Map.of("signedOut", admin));
        } else {
            throw new WebError(405, "method-not-allowed", "Use POST to sign in and DELETE to sign out");
        }
    }

    /** A JSON object's top-level values as strings (nested values are refused: no operation takes them). */
    private static Map<String, String> jsonFields(String body) throws WebError {
        if (body.isBlank()) {
            return Map.of();
        }
        Object parsed;
        try {
            parsed = JSON.std.anyFrom(body);
        } catch (IOException | RuntimeException e) {
            throw WebError.badRequest("The body is not valid JSON");
        }
        if (!(parsed instanceof Map<?, ?> object)) {
            throw WebError.badRequest("The body must be a JSON object");
        }
        Map<String, String> fields = new HashMap<>();
        for (Map.Entry<?, ?> entry : object.entrySet()) {
            Object value = entry.getValue();
            if (value instanceof Map || value instanceof List) {
                throw WebError.badRequest("The field '" + entry.getKey() + "' must be a string, number or boolean");
            }
            if (value != null) {
                fields.put(String.valueOf(entry.getKey()), String.valueOf(value));
            }
        }
        return fields;
    }

    private static void json(Response response, Callback callback, int status, Object body) {
        String text;
        try {
            text = JSON_OUT.asString(JsonValues.plain(body));
        } catch (IOException e) {
            status = 500;
            text = "{\"error\":\"internal\",\"message\":\"Cannot encode the answer\"}";
        }
        WebIo.write(response, callback, status, "application/json", text);
    }

    // ------------------------------------------------------------------------------------------------ pages

    private void page(Request request, Response response, Callback callback, String path) {
        String method = request.getMethod();
        if (path.startsWith("/static/") && method.equals("GET")) {
            staticFiles.serve(path.substring("/static/".length()), response, callback);
            return;
        }
        WebIo.securityHeaders(response, secure);
        try {
            // Read first, as in the API: a refusal must not leave the body unread.
            String body = method.equals("GET") ? "" : WebIo.body(request);
            if (path.equals("/login")) {
                signInPage(request, response, callback, method, body);
                return;
            }
            ConsoleSessions.Session session = sessions.find(WebIo.cookie(request, SESSION_COOKIE));
            if (session == null) {
                if (method.equals("GET")) {
                    WebIo.redirect(response, callback, "/admin/login");
                } else {
                    throw new WebError(401, "unauthorized", "Your sign-in has expired; sign in again");
                }
                return;
            }
            Map<String, String> fields = Map.of();
            if (!method.equals("GET")) {
                fields = WebIo.formFields(body);
                if (!ConsoleSessions.sameToken(session.csrfToken(), fields.get(CSRF_FIELD))) {
                    throw new WebError(403, "csrf", "This form is out of date or did not come from this console; reload the page and try again");
                }
            }
            if (path.equals("/logout") && method.equals("POST")) {
                sessions.remove(session.id);
                WebIo.setCookie(response, SESSION_COOKIE, "", secure, 0);
                WebIo.redirect(response, callback, "/admin/login");
                return;
            }
            RouteTable.Match<PageAction> match = pageRoutes.find(method, path);
            if (match == null) {
                throw pageRoutes.hasPath(path) ? new WebError(405, "method-not-allowed", method + " is not allowed here")
                        : WebError.notFound("There is no page " + path);
            }
            Call call = new Call(match.params(), WebIo.formFields(request.getHttpURI().getQuery()), fields,
                    session.admin(), WebIo.remoteIp(request));
            PageResult result;
            try {
                result = match.target().run(call);
            } catch (WebError e) {
                String back = fields.get("back");
                if (!method.equals("GET") && back != null && isConsolePath(back)) {
                    sessions.flash(session, "error:" + e.getMessage());
                    WebIo.redirect(response, callback, back);
                    return;
                }
                throw e;
            }
            if (result instanceof PageResult.Redirect redirect) {
                if (redirect.message() != null) {
                    sessions.flash(session, redirect.message());
                }
                WebIo.redirect(response, callback, redirect.location());
            } else if (result instanceof PageResult.View view) {
                html(response, callback, 200, view.template(), view.title(), view.params(), session, path);
            }
        } catch (WebError e) {
            errorPage(response, callback, e);
        } catch (RuntimeException e) {
            log.error("Console {} {} failed", method, path, e);
            errorPage(response, callback, new WebError(500, "internal", "Internal error: " + e.getMessage()));
        }
    }

    private static boolean isConsolePath(String location) {
        return location.startsWith("/admin") && !location.startsWith("//") && !location.contains("\\")
                && !location.contains("\r") && !location.contains("\n");
    }

    private void html(Response response, Callback callback, int status, String template, String title,
                      Map<String, Object> params, ConsoleSessions.Session session, String path) {
        String flash = sessions.takeFlash(session);
        boolean error = flash != null && flash.startsWith("error:");
        Chrome chrome = new Chrome(title, session.admin(), session.csrfToken(), List.copyOf(nav), path,
                error ? flash.substring("error:".length()) : flash, error, domain);
        Map<String, Object> all = new LinkedHashMap<>(params);
        all.put("chrome", chrome);
        WebIo.write(response, callback, status, "text/html; charset=utf-8", templates.render(template, all));
    }

    private void errorPage(Response response, Callback callback, WebError e) {
        WebIo.write(response, callback, e.status(), "text/html; charset=utf-8",
                templates.render("error.jte", Map.of("status", e.status(), "message", Objects.toString(e.getMessage(), ""))));
    }

    /** GET shows the form with a fresh double-submit token; POST checks it, the password and the throttle. */
    private void signInPage(Request request, Response response, Callback callback, String method, String body)
            throws WebError {
        if (method.equals("GET")) {
            String token = sessions.token();
            WebIo.setCookie(response, SIGN_IN_COOKIE, token, secure, 3600);
            WebIo.write(response, callback, 200, "text/html; charset=utf-8",
                    templates.render("signin.jte", Map.of("token", token, "error", "", "domain", domain)));
            return;
        }
        if (!method.equals("POST")) {
            throw new WebError(405, "method-not-allowed", "Use the sign-in form");
        }
        Map<String, String> fields = WebIo.formFields(body);
        String expected = WebIo.cookie(request, SIGN_IN_COOKIE);
        if (expected == null || !ConsoleSessions.sameToken(expected, fields.get(CSRF_FIELD))) {
            throw new WebError(403, "csrf", "The sign-in form is out of date; reload the page and try again");
        }
        AdminSignIn.Result result = signIn.signIn(fields.get("jid"), fields.get("password"), WebIo.remoteIp(request));
        if (!result.ok()) {
            String token = sessions.token();
            WebIo.setCookie(response, SIGN_IN_COOKIE, token, secure, 3600);
            WebIo.write(response, callback, result.retryAfter() != null ? 429 : 401, "text/html; charset=utf-8",
                    templates.render("signin.jte", Map.of("token", token, "error", result.refusal(), "domain", domain)));
            return;
        }
        ConsoleSessions.Session session = sessions.create(result.admin());
        WebIo.setCookie(response, SIGN_IN_COOKIE, "", secure, 0);
        WebIo.setCookie(response, SESSION_COOKIE, session.id, secure, -1);
        WebIo.redirect(response, callback, "/admin/");
    }
}
