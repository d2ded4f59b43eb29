package org.skerry.server.auth;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Supplies the server's part of a SCRAM nonce. Production uses {@link #secureRandom()}; tests inject a
 * fixed value to reproduce the RFC test vectors exactly.
 */
@FunctionalInterface
public interface NonceSource {

    /** A fresh nonce of printable ASCII (0x21–0x7E) without ',', as RFC 5802 §7 requires. */
    String next();

    /** 24 random bytes (192 bits), base64-encoded (the base64 alphabet contains no ','). */
    static NonceSource secureRandom() {
        SecureRandom random = new SecureRandom();
        return () -> {
            byte[] bytes = new byte[24];
            random.nextBytes(bytes);
            return Base64.getEncoder().encodeToString(bytes);
        };
    }
}
