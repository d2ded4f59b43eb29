package org.skerry.console.web;

import java.util.Map;

/**
 * One authenticated request to a console operation, whether it came from a page's form or the JSON API: the
 * path parameters, the query, the submitted fields (form fields or a JSON object's top-level string values),
 * who is signed in and from where.
 */
public record Call(Map<String, String> pathParams, Map<String, String> query, Map<String, String> fields,
                   String admin, String remoteIp) {

    public String path(String name) { return pathParams.get(name); }

    /** A query parameter, or {@code fallback} when absent or blank. */
    public String query(String name, String fallback) {
        String value = query.get(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** A required submitted field; a clear 400 when it is missing or longer than {@code maxLength}. */
    public String field(String name, int maxLength) throws WebError {
        String value = fields.get(name);
        if (value == null || value.isEmpty()) {
            throw WebError.badRequest("The field '" + name + "' is required");
        }
        if (value.length() > maxLength) {
            throw WebError.badRequest("The field '" + name + "' is longer than " + maxLength + " characters");
        }
        return value;
    }

    /** An optional submitted field. */
    public String optionalField(String name, int maxLength) throws WebError {
        return fields.containsKey(name) && !fields.get(name).isEmpty() ? field(name, maxLength) : null;
    }
}
