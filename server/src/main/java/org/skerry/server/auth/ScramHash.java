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
    SHA_1("SCRAM-SHA-1", "SHA-1", "HmacSHA1", 20, 64),
    SHA_256("SCRAM-SHA-256", "SHA-256", "HmacSHA256", 32, 64),
    SHA_512("SCRAM-SHA-512", "SHA-512", "HmacSHA512", 64, 128);

    private final String mechanismName;
    private final String digestAlgorithm;
    private final String hmacAlgorithm;
    private final int outputLength;
    /** The hash's input block size, which HMAC pads the key to (RFC 2104). */
    private final int blockLength;

    ScramHash(String mechanismName, String digestAlgorithm, String hmacAlgorithm, int outputLength, int blockLength) {
        this.mechanismName = mechanismName;
        this.digestAlgorithm = digestAlgorithm;
        this.hmacAlgorithm = hmacAlgorithm;
        this.outputLength = outputLength;
        this.blockLength = blockLength;
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
     *
     * <p>Every iteration is HMAC(password, U) = H(opad-key || H(ipad-key || U)) with the same key, so the digest
     * states after the two padded-key blocks are computed once and copied, instead of hashed again each time as
     * {@link Mac} does: half the compressions, which is what a PLAIN login or a password change costs the node.
     */
    public byte[] saltedPassword(byte[] normalizedPassword, byte[] salt, int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive");
        }
        try {
            MessageDigest afterInnerPad = paddedKeyDigest(normalizedPassword, (byte) 0x36);
            MessageDigest afterOuterPad = paddedKeyDigest(normalizedPassword, (byte) 0x5c);
            MessageDigest inner = (MessageDigest) afterInnerPad.clone();
            inner.update(salt);
            inner.update(ByteBuffer.allocate(4).putInt(1).array());
            byte[] u = inner.digest();
            MessageDigest outer = (MessageDigest) afterOuterPad.clone();
            outer.update(u);
            outer.digest(u, 0, outputLength);
            byte[] result = u.clone();
            for (int i = 1; i < iterations; i++) {
                inner = (MessageDigest) afterInnerPad.clone();
                inner.update(u);
                inner.digest(u, 0, outputLength);
                outer = (MessageDigest) afterOuterPad.clone();
                outer.update(u);
                outer.digest(u, 0, outputLength);
                for (int j = 0; j < outputLength; j++) {
                    result[j] ^= u[j];
                }
            }
            return result;
        } catch (GeneralSecurityException | CloneNotSupportedException e) {
            throw new IllegalStateException("JRE lacks a cloneable " + digestAlgorithm, e);
        }
    }

    /** A digest that has absorbed the HMAC key, hashed first if longer than a block, padded and XORed with pad. */
    private MessageDigest paddedKeyDigest(byte[] key, byte pad) throws GeneralSecurityException {
        MessageDigest digest = MessageDigest.getInstance(digestAlgorithm);
        byte[] blockKey = key.length > blockLength ? digest.digest(key) : key;
        byte[] padded = new byte[blockLength];
        for (int i = 0; i < blockLength; i++) {
            padded[i] = (byte) ((i < blockKey.length ? blockKey[i] : 0) ^ pad);
        }
        digest.update(padded);
        return digest;
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
