package org.skerry.bench.xmpp;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client side of SCRAM-SHA-1 (RFC 5802) without channel binding ("n,,"), one instance per authentication.
 * SaltedPassword is cached per (user, salt, iterations) in {@link SaltedPasswords}, as real clients do, so a
 * reconnect skips the PBKDF2 rounds and costs what a reconnecting client costs.
 */
public final class ScramSha1 {
    private final String user;
    private final String password;
    private final String clientNonce;
    private final SaltedPasswords cache;
    private byte[] expectedServerSignature;

    public ScramSha1(String user, String password, String clientNonce, SaltedPasswords cache) {
        this.user = user;
        this.password = password;
        this.clientNonce = clientNonce;
        this.cache = cache;
    }

    public String clientFirst() { return "n,," + clientFirstBare(); }

    private String clientFirstBare() {
        return "n=" + user.replace("=", "=3D").replace(",", "=2C") + ",r=" + clientNonce;
    }

    /** The client-final-message for the server's first message; remembers the signature the server must prove. */
    public String clientFinal(String serverFirst) {
        String nonce = attribute(serverFirst, 'r');
        String salt = attribute(serverFirst, 's');
        String iterationText = attribute(serverFirst, 'i');
        if (nonce == null || salt == null || iterationText == null || !nonce.startsWith(clientNonce)) {
            throw new IllegalArgumentException("bad server-first-message");
        }
        int iterations = Integer.parseInt(iterationText);
        byte[] salted = cache.get(user, salt, iterations,
                () -> hi(password.getBytes(StandardCharsets.UTF_8), Base64.getDecoder().decode(salt), iterations));
        String clientFinalBare = "c=biws,r=" + nonce;
        byte[] authMessage = (clientFirstBare() + "," + serverFirst + "," + clientFinalBare).getBytes(StandardCharsets.UTF_8);
        byte[] clientKey = hmac(salted, "Client Key".getBytes(StandardCharsets.US_ASCII));
        byte[] proof = hmac(sha1(clientKey), authMessage);
        for (int i = 0; i < proof.length; i++) {
            proof[i] ^= clientKey[i];
        }
        expectedServerSignature = hmac(hmac(salted, "Server Key".getBytes(StandardCharsets.US_ASCII)), authMessage);
        return clientFinalBare + ",p=" + Base64.getEncoder().encodeToString(proof);
    }

    /** Whether the server-final-message proves the server knows the password (v=...); false on e=... too. */
    public boolean serverFinalValid(String serverFinal) {
        String verifier = attribute(serverFinal, 'v');
        return verifier != null && expectedServerSignature != null
                && MessageDigest.isEqual(Base64.getDecoder().decode(verifier), expectedServerSignature);
    }

    private static String attribute(String message, char name) {
        for (String part : message.split(",")) {
            if (part.length() >= 2 && part.charAt(0) == name && part.charAt(1) == '=') {
                return part.substring(2);
            }
        }
        return null;
    }

    static byte[] hi(byte[] password, byte[] salt, int iterations) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(password, "HmacSHA1"));
            mac.update(salt);
            byte[] u = mac.doFinal(new byte[] {0, 0, 0, 1});
            byte[] result = u.clone();
            for (int i = 1; i < iterations; i++) {
                u = mac.doFinal(u);
                for (int j = 0; j < result.length; j++) {
                    result[j] ^= u[j];
                }
            }
            return result;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha1(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SaltedPassword per (user, salt, iterations), shared by all sessions of a run. */
    public static final class SaltedPasswords {
        private final Map<String, byte[]> byKey = new ConcurrentHashMap<>();

        interface Computation { byte[] compute(); }

        byte[] get(String user, String salt, int iterations, Computation computation) {
            String key = user + '\u0000' + salt + '\u0000' + iterations;
            byte[] known = byKey.get(key);
            if (known == null) {
                known = computation.compute();
                byKey.put(key, known);
            }
            return known;
        }

        public int size() { return byKey.size(); }
    }
}
