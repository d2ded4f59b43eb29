package org.skerry.server.auth;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The hash functions SCRAM is used with: SHA-1 (RFC 5802), SHA-256 (RFC 7677) and SHA-512
 * (draft-melnikov-scram-sha-512). Provides the primitives of RFC 5802 §2.2: H, HMAC and Hi.
 */
public enum ScramHash {
    SHA_1("SCRAM-SHA-1", "SHA-1", "HmacSHA1", 20),
    SHA_256("SCRAM-SHA-256", "SHA-256", "HmacSHA256", 32),
    SHA_512("SCRAM-SHA-512", "SHA-512", "HmacSHA512", 64);

    private final String mechanismName;
    private final String digestAlgorithm;
    private final String hmacAlgorithm;
    private final int outputLength;

    ScramHash(String mechanismName, String digestAlgorithm, String hmacAlgorithm, int outputLength) {
        this.mechanismName = mechanismName;
        this.digestAlgorithm = digestAlgorithm;
        this.hmacAlgorithm = hmacAlgorithm;
        this.outputLength = outputLength;
    }

    /** E.g. {@code SCRAM-SHA-256}. */
    public String mechanismName() {
        return mechanismName;
    }

    /** E.g. {@code SCRAM-SHA-256-PLUS}, the channel-binding variant. */
    public String plusMechanismName() {
        return mechanismName + "-PLUS";
    }

    /** The JCA {@link MessageDigest} algorithm name. */
    public String digestAlgorithm() {
        return digestAlgorithm;
    }

    /** The JCA {@link Mac} algorithm name. */
    public String hmacAlgorithm() {
        return hmacAlgorithm;
    }

    /** The output length of H and HMAC in bytes; the length of StoredKey, ServerKey and the client proof. */
    public int outputLength() {
        return outputLength;
    }

    /** H(data). */
    public byte[] hash(byte[] data) {
        try {
            return MessageDigest.getInstance(digestAlgorithm).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JRE lacks " + digestAlgorithm, e);
        }
    }

    /** HMAC(key, data). {@code key} must not be empty (JCA refuses empty keys). */
    public byte[] hmac(byte[] key, byte[] data) {
        return newMac(key).doFinal(data);
    }

    /**
     * Hi(password, salt, iterations) of RFC 5802 §2.2, i.e. PBKDF2 with one output block. Written out rather
     * than using the JCA's PBKDF2 because that takes a char[] and encodes it itself, while SCRAM defines the
     * input as the UTF-8 bytes of the SASLprep-ed password.
     */
    public byte[] saltedPassword(byte[] normalizedPassword, byte[] salt, int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive");
        }
        Mac mac = newMac(normalizedPassword);
        mac.update(salt);
        byte[] u = mac.doFinal(ByteBuffer.allocate(4).putInt(1).array());
        byte[] result = u.clone();
        for (int i = 1; i < iterations; i++) {
            u = mac.doFinal(u);
            for (int j = 0; j < result.length; j++) {
                result[j] ^= u[j];
            }
        }
        return result;
    }

    private Mac newMac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(hmacAlgorithm);
            mac.init(new SecretKeySpec(key, hmacAlgorithm));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JRE lacks " + hmacAlgorithm, e);
        }
    }

    /** The hash whose mechanism name (without -PLUS) is {@code name}, or null. */
    static ScramHash byMechanismName(String name) {
        for (ScramHash hash : values()) {
            if (hash.mechanismName.equals(name)) {
                return hash;
            }
        }
        return null;
    }
}
