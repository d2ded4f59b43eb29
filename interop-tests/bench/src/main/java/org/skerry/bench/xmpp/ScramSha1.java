package org.skerry.bench.xmpp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
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
        byte[] salted = cache.get(user, password, salt, iterations);
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

    /**
     * SaltedPassword per (user, password, salt, iterations), shared by all sessions of a run, and optionally kept in
     * a file between runs: a client that keeps it spends no PBKDF2 rounds at login, which on a shared machine would
     * otherwise take CPU from the server being measured.
     */
    public static final class SaltedPasswords {
        private final Map<String, byte[]> byKey = new ConcurrentHashMap<>();

        byte[] get(String user, String password, String salt, int iterations) {
            String key = user + '\u0000' + passwordTag(password) + '\u0000' + salt + '\u0000' + iterations;
            return byKey.computeIfAbsent(key,
                    k -> hi(password.getBytes(StandardCharsets.UTF_8), Base64.getDecoder().decode(salt), iterations));
        }

        public int size() { return byKey.size(); }

        /** Adds the entries of a file written by {@link #save}; a missing file adds nothing. */
        public void load(Path file) throws IOException {
            if (!Files.exists(file)) {
                return;
            }
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                String[] parts = line.split(" ");
                if (parts.length == 2) {
                    byKey.put(new String(Base64.getDecoder().decode(parts[0]), StandardCharsets.UTF_8),
                            Base64.getDecoder().decode(parts[1]));
                }
            }
        }

        public void save(Path file) throws IOException {
            StringBuilder out = new StringBuilder();
            byKey.forEach((key, salted) -> out.append(Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8)))
                    .append(' ').append(Base64.getEncoder().encodeToString(salted)).append('\n'));
            Files.writeString(file, out, StandardCharsets.US_ASCII);
        }

        /** Part of the key, so that a changed password never reuses a stale entry; not the password itself. */
        private static String passwordTag(String password) {
            return Base64.getEncoder().encodeToString(Arrays.copyOf(sha1(password.getBytes(StandardCharsets.UTF_8)), 8));
        }
    }
}
