package org.skerry.interop.console;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/** Reads the JSON API's answers, so that tests assert on values rather than on how they are spelled. */
final class Json {
    private Json() {}

    static Map<String, Object> object(HttpResponse<String> response) {
        try {
            return JSON.std.mapFrom(response.body());
        } catch (IOException e) {
            throw new AssertionError("not a JSON object: " + response.body(), e);
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(HttpResponse<String> response) {
        try {
            return (List<Map<String, Object>>) (List<?>) JSON.std.listFrom(response.body());
        } catch (IOException e) {
            throw new AssertionError("not a JSON array: " + response.body(), e);
        }
    }
}
