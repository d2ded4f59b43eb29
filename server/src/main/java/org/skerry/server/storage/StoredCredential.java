package org.skerry.server.storage;

import java.util.Arrays;
import java.util.Objects;
import java.util.Set;

/**
 * The SCRAM verifier of one account for one hash (RFC 5802 §3): what the server needs to check a SCRAM
 * login without knowing the password. The arrays are copied in and out, so a record cannot be changed
 * after it is built.
 *
 * @param mechanism {@code "SCRAM-SHA-1"}, {@code "SCRAM-SHA-256"} or {@code "SCRAM-SHA-512"}
 * @param salt the salt, not empty
 * @param iterations the PBKDF2 iteration count, positive
 * @param storedKey H(ClientKey), not empty
 * @param serverKey HMAC(SaltedPassword, "Server Key"), not empty
 */
public record StoredCredential(String mechanism, byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {
    /** The mechanisms the schema accepts (the -PLUS variants share the verifier of their base). */
    public static final Set<String> MECHANISMS = Set.of("SCRAM-SHA-1", "SCRAM-SHA-256", "SCRAM-SHA-512");

    public StoredCredential {
        if (!MECHANISMS.contains(mechanism)) {
            throw new IllegalArgumentException("unsupported mechanism: " + mechanism);
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive, got " + iterations);
        }
        salt = nonEmptyCopy(salt, "salt");
        storedKey = nonEmptyCopy(storedKey, "storedKey");
        serverKey = nonEmptyCopy(serverKey, "serverKey");
    }

    private static byte[] nonEmptyCopy(byte[] bytes, String what) {
        if (bytes == null || bytes.length == 0) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        return bytes.clone();
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] storedKey() {
        return storedKey.clone();
    }

    @Override
    public byte[] serverKey() {
        return serverKey.clone();
    }

    /** Compares the contents of the arrays (a record's default would compare their identity). */
    @Override
    public boolean equals(Object other) {
        return other instanceof StoredCredential that
                && mechanism.equals(that.mechanism)
                && iterations == that.iterations
                && Arrays.equals(salt, that.salt)
                && Arrays.equals(storedKey, that.storedKey)
                && Arrays.equals(serverKey, that.serverKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mechanism, iterations, Arrays.hashCode(salt), Arrays.hashCode(storedKey),
                Arrays.hashCode(serverKey));
    }

    /** Leaves the keys out: they are password-equivalent for an attacker who can also sniff a login. */
    @Override
    public String toString() {
        return "StoredCredential[" + mechanism + ", iterations=" + iterations + "]";
    }
}
