package org.skerry.console.web;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** RFC 7617 Basic credentials: base64 of {@code user:password}, UTF-8. */
final class BasicCredentials {
    private BasicCredentials() {}

    /** {user, password}, or null when malformed. */
    static String[] decode(String encoded) {
        String text;
        try {
            text = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = text.indexOf(':');
        return colon <= 0 ? null : new String[] {text.substring(0, colon), text.substring(colon + 1)};
    }
}
