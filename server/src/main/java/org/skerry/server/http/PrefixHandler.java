package org.skerry.server.http;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;

/**
 * Hands each request to the handler mounted at the longest prefix of its path; 404 when none is. It declares itself
 * blocking (Handler.Abstract's default), so Jetty never calls it on a selector thread: the console reads request
 * bodies and storage synchronously, and doing that on a selector would stall the very reads it waits for.
 */
final class PrefixHandler extends Handler.Abstract implements HttpRoutes {
    /** Longest first, so the first match is the most specific. */
    private final Map<String, Handler> mounts = new ConcurrentSkipListMap<>(
            (a, b) -> a.length() != b.length() ? Integer.compare(b.length(), a.length()) : a.compareTo(b));

    @Override
    public void mount(String prefix, Handler handler) {
        if (!prefix.startsWith("/") || (prefix.length() > 1 && prefix.endsWith("/"))) {
            throw new IllegalArgumentException("An HTTP prefix starts with / and does not end with one: " + prefix);
        }
        if (mounts.putIfAbsent(prefix, handler) != null) {
            throw new IllegalStateException("Two handlers for " + prefix);
        }
        if (getServer() != null) {
            handler.setServer(getServer());
        }
        addBean(handler);
    }

    /**
     * Hands the server on to the mounted handlers, as a Jetty container would: a handler that starts without one
     * logs a warning, and those would fill the console's list of recent warnings at every start.
     */
    @Override
    public void setServer(Server server) {
        super.setServer(server);
        mounts.values().forEach(handler -> handler.setServer(server));
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        for (Map.Entry<String, Handler> mount : mounts.entrySet()) {
            if (covers(mount.getKey(), path)) {
                return mount.getValue().handle(request, response, callback);
            }
        }
        Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
        return true;
    }

    static boolean covers(String prefix, String path) {
        return prefix.equals("/") || path.equals(prefix) || path.startsWith(prefix + "/");
    }
}
