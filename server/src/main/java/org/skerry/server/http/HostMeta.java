package org.skerry.server.http;

import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * XEP-0156 {@code /.well-known/host-meta} (XRD) and {@code host-meta.json} (JRD): where web clients find the
 * node's HTTP connection methods. The node offers none yet (no BOSH, no WebSocket), so the documents list no
 * links; they exist so that a client gets a valid, empty answer instead of a 404, and so that a later WebSocket
 * module only adds a link.
 */
final class HostMeta extends Handler.Abstract.NonBlocking {
    static final String XRD = """
            <?xml version='1.0' encoding='utf-8'?>
            <XRD xmlns='http://docs.oasis-open.org/ns/xri/xrd-1.0'>
            </XRD>
            """;
    static final String JRD = "{\"links\":[]}";

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        boolean json = path.endsWith(".json");
        if (!path.equals("/.well-known/host-meta") && !path.equals("/.well-known/host-meta.json")) {
            return false;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, json ? "application/json" : "application/xrd+xml; charset=utf-8");
        // XEP-0156 §3: web clients on other origins must be able to read it.
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        response.write(true, StandardCharsets.UTF_8.encode(json ? JRD : XRD), callback);
        return true;
    }
}
