package org.skerry.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What the server keeps of a password for one SCRAM hash (RFC 5802 §3): salt, iteration count, StoredKey and
 * ServerKey. The password itself is never stored; PLAIN logins are checked against this too.
 */
public record ScramCredential(ScramHash hash, byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {

    /** RFC 7677 §4: the iteration count SHOULD be at least 4096. New credentials are never weaker. */
    public static final int MIN_ITERATIONS = 4096;
    /** 128 bits, as in the RFC 7677 example. */
    public static final int SALT_LENGTH = 16;

    private static final SecureRandom DEFAULT_RANDOM = new SecureRandom();
    private static final byte[] CLIENT_KEY = "Client Key".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SERVER_KEY = "Server Key".getBytes(StandardCharsets.US_ASCII);

    public ScramCredential {
        Objects.requireNonNull(hash, "hash");
        if (salt == null || salt.length == 0) {
            throw new IllegalArgumentException("salt must not be empty");
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive");
        }
        if (storedKey == null || storedKey.length != hash.outputLength()
                || serverKey == null || serverKey.length != hash.outputLength()) {
            throw new IllegalArgumentException("StoredKey and ServerKey must be " + hash.outputLength() + " bytes");
        }
        salt = salt.clone();
        storedKey = storedKey.clone();
        serverKey = serverKey.clone();
    }

    /** Derives a credential with a fresh random salt. The password is SASLprep-ed as a stored string. */
    public static ScramCredential derive(ScramHash hash, String password, int iterations, SecureRandom random) {
        byte[] salt = new byte[SALT_LENGTH];
        random.nextBytes(salt);
        return derive(hash, password, salt, iterations);
    }

    /**
     * Derives a credential with the given salt: for importing accounts and for reproducing test vectors.
     *
     * @throws IllegalArgumentException if the password is empty after SASLprep, contains characters SASLprep
     *                                  prohibits, or {@code iterations} is below {@link #MIN_ITERATIONS}
     */
    public static ScramCredential derive(ScramHash hash, String password, byte[] salt, int iterations) {
        if (iterations < MIN_ITERATIONS) {
            throw new IllegalArgumentException("iterations must be at least " + MIN_ITERATIONS);
        }
        String prepared = Saslprep.prepareStored(password);
        if (prepared.isEmpty()) {
            throw new IllegalArgumentException("password must not be empty");
        }
        return fromSaltedPassword(hash, hash.saltedPassword(utf8(prepared), salt, iterations), salt, iterations);
    }

    /** One credential per supported hash, each with its own random salt. */
    public static List<ScramCredential> deriveAll(String password, int iterations) {
        List<ScramCredential> credentials = new ArrayList<>();
        for (ScramHash hash : ScramHash.values()) {
            credentials.add(derive(hash, password, iterations, DEFAULT_RANDOM));
        }
        return List.copyOf(credentials);
    }

    /**
     * Whether {@code password} is the password this credential was derived from, computed the way a SCRAM
     * client would and compared in constant time. Used by PLAIN. The password is SASLprep-ed as a query.
     */
    public boolean matchesPassword(String password) {
        String prepared;
        try {
            prepared = Saslprep.prepareQuery(password);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (prepared.isEmpty()) {
            return false;
        }
        ScramCredential candidate =
                fromSaltedPassword(hash, hash.saltedPassword(utf8(prepared), salt, iterations), salt, iterations);
        // Both comparisons always run, so the time does not depend on which key differs.
        boolean storedKeyMatches = java.security.MessageDigest.isEqual(candidate.storedKey, storedKey);
        boolean serverKeyMatches = java.security.MessageDigest.isEqual(candidate.serverKey, serverKey);
        return storedKeyMatches & serverKeyMatches;
    }

    private static ScramCredential fromSaltedPassword(ScramHash hash, byte[] saltedPassword, byte[] salt,
            int iterations) {
        byte[] clientKey = hash.hmac(saltedPassword, CLIENT_KEY);
        return new ScramCredential(hash, salt, iterations, hash.hash(clientKey), hash.hmac(saltedPassword, SERVER_KEY));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
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

    @Override
    public boolean equals(Object other) {
        return other instanceof ScramCredential that && hash == that.hash && iterations == that.iterations
                && Arrays.equals(salt, that.salt) && Arrays.equals(storedKey, that.storedKey)
                && Arrays.equals(serverKey, that.serverKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(hash, iterations, Arrays.hashCode(salt), Arrays.hashCode(storedKey));
    }

    /** Leaves the keys out, so that a credential in a log line does not help an offline attack. */
    @Override
    public String toString() {
        return "ScramCredential[" + hash + ", i=" + iterations + "]";
    }
}
