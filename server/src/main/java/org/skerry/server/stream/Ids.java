package org.skerry.server.stream;

import java.security.SecureRandom;
import java.util.Base64;

/** Unguessable identifiers: stream ids, XEP-0198 resumption ids, server-made resources. */
final class Ids {
    private static final SecureRandom random = new SecureRandom();

    private Ids() {}

    static String random() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String resource() { return "skerry-" + random().substring(0, 10); }
}
