package org.skerry.server.auth;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * PLAIN (RFC 4616): {@code [authzid] NUL authcid NUL passwd}, in one message. Offered only over TLS. The
 * password is checked against the account's SCRAM credential, so no password is ever stored.
 */
final class PlainServer implements SaslServer {
    /** RFC 4616 §2 lets servers refuse fields over 255 bytes; we allow more for long passphrases. */
    private static final int MAX_MESSAGE_BYTES = 3 * 1024;
    /** Preferred order when an account has credentials for several hashes: any one suffices to check. */
    private static final ScramHash[] CHECK_ORDER = {ScramHash.SHA_256, ScramHash.SHA_512, ScramHash.SHA_1};

    private final String domain;
    private final CredentialLookup lookup;
    private final DecoyCredentials decoys;
    private boolean emptyChallengeSent;
    private boolean finished;

    PlainServer(String domain, CredentialLookup lookup, DecoyCredentials decoys) {
        this.domain = domain;
        this.lookup = lookup;
        this.decoys = decoys;
    }

    @Override
    public String mechanismName() {
        return SaslMechanisms.PLAIN;
    }

    @Override
    public Step evaluate(byte[] clientResponse) throws SaslFailure {
        if (finished) {
            throw new SaslFailure(SaslCondition.MALFORMED_REQUEST, "the exchange is over");
        }
        if (clientResponse == null && !emptyChallengeSent) {
            emptyChallengeSent = true; // RFC 6120 §6.4.2: no initial response, ask for it
            return new Step.Challenge(new byte[0]);
        }
        finished = true;
        if (clientResponse == null) {
            throw new SaslFailure(SaslCondition.MALFORMED_REQUEST, "no PLAIN message");
        }
        return verify(clientResponse);
    }

    private Step verify(byte[] message) throws SaslFailure {
        String[] fields = split(message);
        String authzid = fields[0];
        String authcid = fields[1];
        String password = fields[2];
        if (authcid.isEmpty() || password.isEmpty()) {
            throw new SaslFailure(SaslCondition.MALFORMED_REQUEST, "empty authcid or password");
        }
        String username = SaslIdentity.normalizeUsername(authcid);
        if (!authzid.isEmpty() && (username == null || !SaslIdentity.authzidMatches(authzid, username, domain))) {
            throw new SaslFailure(SaslCondition.INVALID_AUTHZID, "authzid is not the account's bare JID");
        }
        Optional<ScramCredential> credential = username == null ? Optional.empty() : findAnyCredential(username);
        if (credential.isEmpty()) {
            decoys.spendPlainVerificationTime(authcid, password);
            throw new SaslFailure(SaslCondition.NOT_AUTHORIZED, "unknown user");
        }
        if (!credential.get().matchesPassword(password)) {
            throw new SaslFailure(SaslCondition.NOT_AUTHORIZED, "wrong password");
        }
        return new Step.Success(username, null);
    }

    private Optional<ScramCredential> findAnyCredential(String username) throws SaslFailure {
        try {
            for (ScramHash hash : CHECK_ORDER) {
                Optional<ScramCredential> found = lookup.find(username, hash);
                if (found != null && found.isPresent() && found.get().hash() == hash) {
                    return found;
                }
            }
            return Optional.empty();
        } catch (RuntimeException e) {
            throw new SaslFailure(SaslCondition.TEMPORARY_AUTH_FAILURE, "credential lookup failed: " + e);
        }
    }

    /** Exactly three UTF-8 fields separated by exactly two NULs. */
    private static String[] split(byte[] message) throws SaslFailure {
        if (message.length > MAX_MESSAGE_BYTES) {
            throw new SaslFailure(SaslCondition.MALFORMED_REQUEST, "PLAIN message too long");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(message))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new SaslFailure(SaslCondition.MALFORMED_REQUEST, "PLAIN message is not UTF-8");
        }
        String[] fields = text.split("\0", -1);
        if (fields.length != 3) {
            throw new SaslFailure(SaslCondition.MALFORMED_REQUEST,
                    "PLAIN needs exactly two NUL separators, got " + (fields.length - 1));
        }
        return fields;
    }
}
