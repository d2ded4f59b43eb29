package org.skerry.console.metrics;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.skerry.server.config.HostPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics} for Prometheus: no console sign-in (scrapers have no cookie), but a bearer token when
 * {@code http.metrics_token} is set. Blocking, like every handler on the node's HTTP workers: the scrape reads
 * queue ages from storage.
 */
public final class MetricsHandler extends Handler.Abstract {
    public static final String PATH = "/metrics";
    /** What {@link NodeMetrics#scrape()} writes: the Prometheus text format, which every scraper reads. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final Logger log = LoggerFactory.getLogger(MetricsHandler.class);

    private final NodeMetrics metrics;
    private final byte[] token;

    public MetricsHandler(NodeMetrics metrics, String token, HostPort bind) {
        this.metrics = metrics;
        this.token = token.getBytes(StandardCharsets.UTF_8);
        if (token.isEmpty() && !isLoopback(bind.host())) {
            log.warn("/metrics on {} can be read by anyone who reaches it: set http.metrics_token, or bind http to"
                    + " a loopback address", bind);
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        if (!Request.getPathInContext(request).equals(PATH)) {
            return text(response, callback, HttpStatus.NOT_FOUND_404, "Not found\n");
        }
        if (!request.getMethod().equals("GET") && !request.getMethod().equals("HEAD")) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            return text(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "Use GET\n");
        }
        if (!authorized(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"skerry-metrics\"");
            return text(response, callback, HttpStatus.UNAUTHORIZED_401,
                    "Send the token of http.metrics_token as: Authorization: Bearer TOKEN\n");
        }
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, CONTENT_TYPE);
        String body = metrics.scrape();
        Content.Sink.write(response, true, request.getMethod().equals("HEAD") ? "" : body, callback);
        return true;
    }

    private boolean authorized(String authorization) {
        if (token.length == 0) {
            return true;
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        // Constant time, so that the answer's timing does not tell how much of a guess was right.
        return MessageDigest.isEqual(token, authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8));
    }

    private static boolean text(Response response, Callback callback, int status, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        Content.Sink.write(response, true, body, callback);
        return true;
    }

    /** http.bind holds an IP literal or "localhost", so this never asks DNS. */
    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
