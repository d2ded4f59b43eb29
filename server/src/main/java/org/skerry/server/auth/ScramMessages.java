package org.skerry.server.auth;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Parses the two SCRAM client messages of RFC 5802 §7, strictly: anything off the grammar is refused. */
final class ScramMessages {
    private ScramMessages() {}

    /**
     * Upper bound for one client message. A client-first-message is a header, a user name (a localpart is at
     * most 1023 bytes, three times that when escaped) and a nonce; a client-final-message adds the channel
     * binding and the proof. Anything larger is hostile.
     */
    static final int MAX_MESSAGE_BYTES = 8 * 1024;

    /**
     * The parsed client-first-message.
     *
     * @param gs2Header        the header exactly as sent, including the trailing comma; echoed back in c=
     * @param channelBindingFlag 'n', 'y' or 'p'
     * @param channelBindingType the cb-name after "p=", or null
     * @param authzid          the decoded authorization identity, or null when absent
     * @param username         the decoded (not yet SASLprep-ed) user name
     * @param bare             client-first-message-bare, part of AuthMessage
     */
    record ClientFirst(String gs2Header, char channelBindingFlag, String channelBindingType, String authzid,
            String username, String clientNonce, String bare) {}

    /**
     * The parsed client-final-message.
     *
     * @param withoutProof client-final-message-without-proof, part of AuthMessage
     */
    record ClientFinal(byte[] channelBinding, String nonce, byte[] proof, String withoutProof) {}

    static ClientFirst parseClientFirst(byte[] message) throws SaslFailure {
        String text = decodeUtf8(message);
        int flagEnd = text.indexOf(',');
        int authzidEnd = flagEnd < 0 ? -1 : text.indexOf(',', flagEnd + 1);
        if (authzidEnd < 0) {
            throw malformed("no GS2 header");
        }
        String flag = text.substring(0, flagEnd);
        char channelBindingFlag;
        String channelBindingType = null;
        if (flag.equals("n") || flag.equals("y")) {
            channelBindingFlag = flag.charAt(0);
        } else if (flag.startsWith("p=") && isChannelBindingName(flag.substring(2))) {
            channelBindingFlag = 'p';
            channelBindingType = flag.substring(2);
        } else {
            throw malformed("bad gs2-cbind-flag");
        }
        String authzidField = text.substring(flagEnd + 1, authzidEnd);
        String authzid = null;
        if (!authzidField.isEmpty()) {
            if (!authzidField.startsWith("a=")) {
                throw malformed("bad authzid field");
            }
            authzid = decodeSaslname(authzidField.substring(2));
        }

        String bare = text.substring(authzidEnd + 1);
        String[] attributes = bare.split(",", -1);
        if (attributes[0].startsWith("m=")) {
            // RFC 5802 §5.1: "m" is reserved for mandatory extensions; a server that does not know one must fail.
            throw malformed("unsupported mandatory extension");
        }
        if (attributes.length < 2 || !attributes[0].startsWith("n=") || !attributes[1].startsWith("r=")) {
            throw malformed("client-first-message-bare must start with n= and r=");
        }
        String username = decodeSaslname(attributes[0].substring(2));
        String clientNonce = attributes[1].substring(2);
        if (!isNonce(clientNonce)) {
            throw malformed("bad client nonce");
        }
        checkExtensions(attributes, 2, attributes.length);
        return new ClientFirst(text.substring(0, authzidEnd + 1), channelBindingFlag, channelBindingType, authzid,
                username, clientNonce, bare);
    }

    static ClientFinal parseClientFinal(byte[] message) throws SaslFailure {
        String text = decodeUtf8(message);
        int proofStart = text.lastIndexOf(",p=");
        if (proofStart < 0) {
            throw malformed("no proof");
        }
        String proof = text.substring(proofStart + 3);
        if (proof.isEmpty() || proof.indexOf(',') >= 0) {
            throw malformed("the proof must be the last attribute");
        }
        String withoutProof = text.substring(0, proofStart);
        String[] attributes = withoutProof.split(",", -1);
        if (attributes.length < 2 || !attributes[0].startsWith("c=") || !attributes[1].startsWith("r=")) {
            throw malformed("client-final-message must start with c= and r=");
        }
        String nonce = attributes[1].substring(2);
        if (!isNonce(nonce)) {
            throw malformed("bad nonce");
        }
        checkExtensions(attributes, 2, attributes.length);
        if (attributes[0].length() == 2) {
            throw malformed("empty channel binding");
        }
        return new ClientFinal(SaslBase64.decodeStrict(attributes[0].substring(2)), nonce,
                SaslBase64.decodeStrict(proof), withoutProof);
    }

    /** Strict UTF-8: malformed sequences are refused, never replaced, because the bytes feed AuthMessage. */
    static String decodeUtf8(byte[] message) throws SaslFailure {
        if (message.length == 0) {
            throw malformed("empty message");
        }
        if (message.length > MAX_MESSAGE_BYTES) {
            throw malformed("message of " + message.length + " bytes exceeds " + MAX_MESSAGE_BYTES);
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(message))
                    .toString();
            if (text.indexOf('\0') >= 0) {
                throw malformed("NUL in message");
            }
            return text;
        } catch (CharacterCodingException e) {
            throw malformed("not UTF-8");
        }
    }

    /** RFC 5802 saslname: "=2C" stands for ',' and "=3D" for '='; any other '=' is an error. */
    static String decodeSaslname(String encoded) throws SaslFailure {
        if (encoded.isEmpty()) {
            throw malformed("empty saslname");
        }
        StringBuilder decoded = new StringBuilder(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '=') {
                String escape = encoded.length() >= i + 3 ? encoded.substring(i + 1, i + 3) : "";
                if (escape.equals("2C")) {
                    decoded.append(',');
                } else if (escape.equals("3D")) {
                    decoded.append('=');
                } else {
                    throw malformed("bad '=' escape in saslname");
                }
                i += 2;
            } else {
                decoded.append(c);
            }
        }
        return decoded.toString();
    }

    /** RFC 5802 nonce: printable ASCII 0x21–0x7E except ','. */
    static boolean isNonce(String nonce) {
        if (nonce.isEmpty()) {
            return false;
        }
        for (int i = 0; i < nonce.length(); i++) {
            char c = nonce.charAt(i);
            if (c < 0x21 || c > 0x7E || c == ',') {
                return false;
            }
        }
        return true;
    }

    /** RFC 5056 cb-name: 1*(ALPHA / DIGIT / "." / "-"). */
    private static boolean isChannelBindingName(String name) {
        return !name.isEmpty() && name.chars().allMatch(c ->
                (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-');
    }

    /** Optional extensions (attr-val: ALPHA "=" 1*value-char) are ignored, but must be well formed. */
    private static void checkExtensions(String[] attributes, int from, int to) throws SaslFailure {
        for (int i = from; i < to; i++) {
            String attribute = attributes[i];
            char name = attribute.isEmpty() ? 0 : attribute.charAt(0);
            boolean alpha = (name >= 'a' && name <= 'z') || (name >= 'A' && name <= 'Z');
            if (!alpha || attribute.length() < 3 || attribute.charAt(1) != '=') {
                throw malformed("bad extension attribute");
            }
        }
    }

    private static SaslFailure malformed(String why) {
        return new SaslFailure(SaslCondition.MALFORMED_REQUEST, why);
    }
}
