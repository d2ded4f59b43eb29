package org.skerry.server.stream;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads the account name a client claims in its first SASL message, only so that failed logins can be throttled
 * per account as well as per IP. Authentication itself never relies on this.
 */
final class SaslUsernames {
    private SaslUsernames() {}

    static String peek(String mechanism, byte[] initial) {
        if (initial == null || initial.length == 0 || initial.length > 4096) {
            return null;
        }
        String text = new String(initial, StandardCharsets.UTF_8);
        if (mechanism.startsWith("SCRAM-")) {
            for (String part : text.split(",")) {
                if (part.startsWith("n=")) {
                    return normalise(part.substring(2).replace("=2C", ",").replace("=3D", "="));
                }
            }
            return null;
        }
        if (mechanism.equals("PLAIN")) {
            String[] parts = text.split("\u0000", -1);
            return parts.length == 3 ? normalise(parts[1]) : null;
        }
        return null;
    }

    private static String normalise(String name) {
        int at = name.indexOf('@');
        String local = at >= 0 ? name.substring(0, at) : name;
        return local.isEmpty() || local.length() > 1023 ? null : local.toLowerCase(Locale.ROOT);
    }
}
