package org.skerry.server;

import java.security.SecureRandom;

/** Readable random passwords for the first admin: 20 characters from an alphabet without look-alikes (~100 bits). */
final class OneTimePasswords {
    private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private OneTimePasswords() {}

    static String generate(SecureRandom random) {
        StringBuilder sb = new StringBuilder(24);
        for (int i = 0; i < 20; i++) {
            if (i > 0 && i % 5 == 0) {
                sb.append('-');
            }
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}
