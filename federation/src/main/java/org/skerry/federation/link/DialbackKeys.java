package org.skerry.federation.link;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * XEP-0185 dialback keys: {@code HMAC-SHA256(hex(SHA-256(secret)), receiving + " " + originating + " " + streamId)},
 * hex-encoded. Derived from the node's persistent secret, so this node (as the authoritative server) can check a
 * key it handed out on any earlier stream without remembering it, also after a restart.
 */
final class DialbackKeys {
    private final byte[] hmacKey;

    DialbackKeys(byte[] secret) {
        try {
            String hashedSecret = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret));
            this.hmacKey = hashedSecret.getBytes(StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** The key the originating server sends in {@code <db:result/>} on the stream the receiving server gave this id. */
    String generate(String receivingDomain, String originatingDomain, String streamId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(hmacKey, "HmacSHA256"));
            byte[] digest = mac.doFinal((receivingDomain + " " + originatingDomain + " " + streamId)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    /** Whether {@code key} is the one this node generated; constant-time, since the key is a credential. */
    boolean matches(String receivingDomain, String originatingDomain, String streamId, String key) {
        if (key == null || streamId == null) {
            return false;
        }
        byte[] expected = generate(receivingDomain, originatingDomain, streamId).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, key.trim().getBytes(StandardCharsets.US_ASCII));
    }
}
