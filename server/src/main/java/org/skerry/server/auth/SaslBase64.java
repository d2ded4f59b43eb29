package org.skerry.server.auth;

import java.util.Arrays;
import java.util.Base64;

/**
 * The base64 rules of RFC 6120 §6.4.2 for the character data of {@code <auth/>}, {@code <challenge/>},
 * {@code <response/>} and {@code <success/>}: "=" stands for zero-length data, an empty element for no data,
 * and anything else must be canonical RFC 4648 §4 base64 (padding required, no line breaks).
 */
public final class SaslBase64 {
    private SaslBase64() {}

    /**
     * Decodes the text of {@code <auth/>}: null for no initial response (empty element), a zero-length array
     * for "=".
     */
    public static byte[] decodeInitialResponse(String text) throws SaslFailure {
        String trimmed = text == null ? "" : text.strip();
        return trimmed.isEmpty() ? null : decodeStrict(trimmed);
    }

    /** Decodes the text of {@code <response/>}; an empty element and "=" both mean zero-length data. */
    public static byte[] decodeResponse(String text) throws SaslFailure {
        String trimmed = text == null ? "" : text.strip();
        return trimmed.isEmpty() ? new byte[0] : decodeStrict(trimmed);
    }

    /** Encodes data for {@code <challenge/>} or {@code <success/>}: null gives "" (an empty element), none gives "=". */
    public static String encode(byte[] data) {
        if (data == null) {
            return "";
        }
        return data.length == 0 ? "=" : Base64.getEncoder().encodeToString(data);
    }

    /**
     * Decodes canonical base64, "=" as zero bytes. The JDK decoder tolerates missing padding and non-zero
     * trailing bits; re-encoding and comparing rejects both, so one value has exactly one encoding.
     */
    static byte[] decodeStrict(String text) throws SaslFailure {
        if (text.equals("=")) {
            return new byte[0];
        }
        if (text.length() % 4 != 0) {
            throw new SaslFailure(SaslCondition.INCORRECT_ENCODING, "base64 length is not a multiple of 4");
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new SaslFailure(SaslCondition.INCORRECT_ENCODING, "invalid base64: " + e.getMessage());
        }
        if (!Arrays.equals(Base64.getEncoder().encode(decoded), text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))) {
            throw new SaslFailure(SaslCondition.INCORRECT_ENCODING, "non-canonical base64");
        }
        return decoded;
    }
}
