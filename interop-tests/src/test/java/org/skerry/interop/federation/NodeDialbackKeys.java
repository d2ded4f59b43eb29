package org.skerry.interop.federation;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.skerry.interop.TestNode;

/**
 * The dialback key (XEP-0185) a node would generate, computed independently from its secret file: lets a test play
 * that node's domain with raw XML while the real node answers the receiving server's verification.
 */
final class NodeDialbackKeys {
    private NodeDialbackKeys() {}

    static String of(TestNode authoritative, String receiving, String originating, String streamId) throws Exception {
        byte[] secret = Files.readAllBytes(authoritative.dataDir().resolve("dialback.secret"));
        String hashedSecret = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(hashedSecret.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
        return HexFormat.of().formatHex(
                mac.doFinal((receiving + " " + originating + " " + streamId).getBytes(StandardCharsets.UTF_8)));
    }
}
