package org.skerry.server.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A SCRAM client (RFC 5802 / RFC 7677 / SCRAM-SHA-512) for tests, written independently of the server code and
 * using only the JDK, so that it can be copied to the interop tests and so that a bug shared by client and
 * server cannot hide. Smack has no SCRAM-SHA-256/512, hence this.
 *
 * <p>Limits: the password is only NFKC-normalized, not fully SASLprep-ed; use passwords that SASLprep leaves
 * unchanged. One instance runs one exchange.
 */
public final class ScramClient {
    private final String mechanism;
    private final String digestAlgorithm;
    private final String hmacAlgorithm;
    private final String username;
    private final String password;
    private String authzid;
    private String clientNonce;
    private char gs2Flag;
    private String channelBindingType;
    private byte[] channelBindingData = new byte[0];

    private String clientFirstBare;
    private String gs2Header;
    private byte[] salt;
    private int iterations;
    private byte[] expectedServerSignature;

    /**
     * @param mechanism e.g. {@code SCRAM-SHA-256} or {@code SCRAM-SHA-512-PLUS}; a -PLUS mechanism needs
     *                  {@link #channelBinding} before the first message
     */
    public ScramClient(String mechanism, String username, String password) {
        this.mechanism = mechanism;
        String base = mechanism.endsWith("-PLUS") ? mechanism.substring(0, mechanism.length() - 5) : mechanism;
        switch (base) {
            case "SCRAM-SHA-1" -> { digestAlgorithm = "SHA-1"; hmacAlgorithm = "HmacSHA1"; }
            case "SCRAM-SHA-256" -> { digestAlgorithm = "SHA-256"; hmacAlgorithm = "HmacSHA256"; }
            case "SCRAM-SHA-512" -> { digestAlgorithm = "SHA-512"; hmacAlgorithm = "HmacSHA512"; }
            default -> throw new IllegalArgumentException("unknown mechanism " + mechanism);
        }
        this.username = username;
        this.password = password;
        this.gs2Flag = 'n';
        byte[] nonce = new byte[18];
        new SecureRandom().nextBytes(nonce);
        this.clientNonce = Base64.getEncoder().encodeToString(nonce);
    }

    /** Uses a fixed client nonce, e.g. from an RFC test vector. */
    public ScramClient clientNonce(String nonce) {
        this.clientNonce = nonce;
        return this;
    }

    /** Sends "a=authzid" in the GS2 header. */
    public ScramClient authzid(String authzid) {
        this.authzid = authzid;
        return this;
    }

    /** Binds to the channel ("p=type"); {@code data} is what this client believes the channel's binding is. */
    public ScramClient channelBinding(String type, byte[] data) {
        this.gs2Flag = 'p';
        this.channelBindingType = type;
        this.channelBindingData = data.clone();
        return this;
    }

    /** Sends "y": "I support channel binding but think you do not" (as after a -PLUS stripping attack). */
    public ScramClient claimServerLacksChannelBinding() {
        this.gs2Flag = 'y';
        return this;
    }

    public String mechanism() {
        return mechanism;
    }

    public byte[] clientFirstMessage() {
        String flag = gs2Flag == 'p' ? "p=" + channelBindingType : String.valueOf(gs2Flag);
        gs2Header = flag + "," + (authzid == null ? "" : "a=" + escape(authzid)) + ",";
        clientFirstBare = "n=" + escape(username) + ",r=" + clientNonce;
        return utf8(gs2Header + clientFirstBare);
    }

    /** Computes the client-final-message from the server-first-message, and remembers the expected "v=". */
    public byte[] clientFinalMessage(byte[] serverFirstMessage) {
        String serverFirst = new String(serverFirstMessage, StandardCharsets.UTF_8);
        String[] attributes = serverFirst.split(",");
        if (attributes.length < 3 || !attributes[0].startsWith("r=") || !attributes[1].startsWith("s=")
                || !attributes[2].startsWith("i=")) {
            throw new IllegalStateException("bad server-first-message: " + serverFirst);
        }
        String nonce = attributes[0].substring(2);
        if (!nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length()) {
            throw new IllegalStateException("server nonce does not extend the client nonce");
        }
        salt = Base64.getDecoder().decode(attributes[1].substring(2));
        iterations = Integer.parseInt(attributes[2].substring(2));

        byte[] cbindInput = concat(utf8(gs2Header), channelBindingData);
        String withoutProof = "c=" + Base64.getEncoder().encodeToString(cbindInput) + ",r=" + nonce;
        byte[] authMessage = utf8(clientFirstBare + "," + serverFirst + "," + withoutProof);

        byte[] saltedPassword = hi(utf8(Normalizer.normalize(password, Normalizer.Form.NFKC)), salt, iterations);
        byte[] clientKey = hmac(saltedPassword, utf8("Client Key"));
        byte[] storedKey = digest(clientKey);
        byte[] clientSignature = hmac(storedKey, authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ clientSignature[i]);
        }
        byte[] serverKey = hmac(saltedPassword, utf8("Server Key"));
        expectedServerSignature = hmac(serverKey, authMessage);
        return utf8(withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof));
    }

    /** Checks the server-final-message ("v=…"): proves that the server knew the credential. */
    public boolean serverFinalIsValid(byte[] serverFinalMessage) {
        String serverFinal = new String(serverFinalMessage, StandardCharsets.UTF_8);
        if (expectedServerSignature == null || !serverFinal.startsWith("v=")) {
            return false;
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(serverFinal.substring(2));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(signature, expectedServerSignature);
    }

    /** The salt from the server-first-message (after {@link #clientFinalMessage}). */
    public byte[] salt() {
        return salt.clone();
    }

    /** The iteration count from the server-first-message (after {@link #clientFinalMessage}). */
    public int iterations() {
        return iterations;
    }

    private static String escape(String saslname) {
        return saslname.replace("=", "=3D").replace(",", "=2C");
    }

    private byte[] hi(byte[] key, byte[] saltBytes, int count) {
        byte[] u = hmac(key, concat(saltBytes, ByteBuffer.allocate(4).putInt(1).array()));
        byte[] result = u.clone();
        for (int i = 1; i < count; i++) {
            u = hmac(key, u);
            for (int j = 0; j < result.length; j++) {
                result[j] ^= u[j];
            }
        }
        return result;
    }

    private byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(hmacAlgorithm);
            mac.init(new SecretKeySpec(key, hmacAlgorithm));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] digest(byte[] data) {
        try {
            return MessageDigest.getInstance(digestAlgorithm).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] result = new byte[a.length + b.length];
        System.arraycopy(a, 0, result, 0, a.length);
        System.arraycopy(b, 0, result, a.length, b.length);
        return result;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
