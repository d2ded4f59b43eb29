package org.skerry.server.auth;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Credentials for accounts that do not exist, so that a SCRAM exchange for an unknown user looks exactly like
 * one for a real user until the proof fails (no user enumeration from the server-first-message). Salt and keys
 * are derived from a server secret and the user name, so asking twice for the same unknown user gives the same
 * salt, as it would for a real one.
 */
final class DecoyCredentials {
    private static final String MAC_ALGORITHM = "HmacSHA512";

    private final byte[] secret;
    private final int iterations;

    DecoyCredentials(byte[] secret, int iterations) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("the decoy secret must have at least 16 bytes");
        }
        this.secret = secret.clone();
        this.iterations = iterations;
    }

    ScramCredential forUser(String username, ScramHash hash) {
        byte[] salt = Arrays.copyOf(derive("salt", username, hash), ScramCredential.SALT_LENGTH);
        byte[] storedKey = Arrays.copyOf(derive("stored-key", username, hash), hash.outputLength());
        byte[] serverKey = Arrays.copyOf(derive("server-key", username, hash), hash.outputLength());
        return new ScramCredential(hash, salt, iterations, storedKey, serverKey);
    }

    /** The salted password PLAIN would compute for a decoy, so that a PLAIN failure for an unknown user costs the same. */
    void spendPlainVerificationTime(String username, String password) {
        forUser(username, ScramHash.SHA_256).matchesPassword(password);
    }

    private byte[] derive(String purpose, String username, ScramHash hash) {
        try {
            Mac mac = Mac.getInstance(MAC_ALGORITHM);
            mac.init(new SecretKeySpec(secret, MAC_ALGORITHM));
            // The purpose and mechanism name are fixed and contain no NUL, so distinct inputs never collide.
            String input = purpose + '\0' + hash.mechanismName() + '\0' + username;
            return mac.doFinal(input.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("JRE lacks " + MAC_ALGORITHM, e);
        }
    }
}
