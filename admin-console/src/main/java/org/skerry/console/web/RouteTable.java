package org.skerry.console.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Method and path-template matching; {@code {name}} matches one non-empty path segment (percent-decoded). */
final class RouteTable<T> {
    record Match<T>(T target, Map<String, String> params) {}

    private record Route<T>(String method, String[] segments, T target) {}

    private final List<Route<T>> routes = new ArrayList<>();

    void add(String method, String template, T target) {
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("A route starts with /: " + template);
        }
        routes.add(new Route<>(method, split(template), target));
    }

    /** The route for this method and path; null when none matches. */
    Match<T> find(String method, String path) {
        String[] segments = split(path);
        for (Route<T> route : routes) {
            if (!route.method().equals(method)) {
                continue;
            }
            Map<String, String> params = match(route.segments(), segments);
            if (params != null) {
                return new Match<>(route.target(), params);
            }
        }
        return null;
    }

    /** True when some route has this path under another method (405 instead of 404). */
    boolean hasPath(String path) {
        String[] segments = split(path);
        return routes.stream().anyMatch(route -> match(route.segments(), segments) != null);
    }

    private static Map<String, String> match(String[] template, String[] path) {
        if (template.length != path.length) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < template.length; i++) {
            String part = template[i];
            if (part.startsWith("{") && part.endsWith("}")) {
                String value = decode(path[i]);
                if (value == null || value.isEmpty()) {
                    return null;
                }
                params.put(part.substring(1, part.length() - 1), value);
            } else if (!part.equals(path[i])) {
                return null;
            }
        }
        return params;
    }

    /**
     * Jetty's path arrives decoded except for "%25" (a '%' that would be ambiguous; "%2F" is refused outright),
     * so one more percent-decoding is exact. URLDecoder decodes forms, where '+' means a space; in a path it is
     * a '+' (as in "a+b@example.org"), so it is kept. Null for a malformed sequence.
     */
    private static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }

    private static String[] split(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    }
}
