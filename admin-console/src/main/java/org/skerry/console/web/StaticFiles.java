package org.skerry.console.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The console's own stylesheet and script, from the jar (no build chain, no CDN). Only plain file names are
 * served, so no path can climb out of the folder.
 */
final class StaticFiles {
    private static final Pattern NAME = Pattern.compile("[a-z0-9-]+\\.(css|js|svg)");
    private static final Map<String, String> TYPES = Map.of(
            "css", "text/css; charset=utf-8", "js", "text/javascript; charset=utf-8", "svg", "image/svg+xml");

    void serve(String name, Response response, Callback callback) {
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        if (!NAME.matcher(name).matches()) {
            WebIo.write(response, callback, 404, "text/plain", "Not found");
            return;
        }
        try (InputStream in = StaticFiles.class.getResourceAsStream("/org/skerry/console/static/" + name)) {
            if (in == null) {
                WebIo.write(response, callback, 404, "text/plain", "Not found");
                return;
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "max-age=300");
            WebIo.write(response, callback, 200, TYPES.get(name.substring(name.lastIndexOf('.') + 1)), text);
        } catch (IOException e) {
            WebIo.write(response, callback, 500, "text/plain", "Cannot read " + name);
        }
    }
}
