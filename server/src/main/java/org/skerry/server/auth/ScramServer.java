package org.skerry.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The server side of SCRAM (RFC 5802, RFC 7677, draft-melnikov-scram-sha-512), with or without channel binding.
 *
 * <p>Exchange: client-first → server-first (challenge) → client-final → {@link Step.Success} carrying
 * server-final ("v=…") as additional data. Every failure ends the exchange.
 *
 * <p>Unknown users are not revealed: the exchange proceeds with a {@link DecoyCredentials decoy} salt and
 * iteration count and fails with {@code not-authorized} at the proof, exactly like a wrong password.
 */
final class ScramServer implements SaslServer {
    private static final byte[] NO_CHANNEL_BINDING_DATA = new byte[0];

    private enum State { AWAITING_CLIENT_FIRST, AWAITING_CLIENT_FINAL, FINISHED }

    private final ScramHash hash;
    private final boolean plus;
    private final String domain;
    private final CredentialLookup lookup;
    private final List<ChannelBinding> bindings;
    private final DecoyCredentials decoys;
    private final NonceSource nonces;

    private State state = State.AWAITING_CLIENT_FIRST;
    private boolean emptyChallengeSent;
    private String username;
    private ScramCredential credential;
    private boolean decoy;
    private byte[] expectedChannelBinding;
    private String combinedNonce;
    private String clientFirstBare;
    private String serverFirst;

    ScramServer(ScramHash hash, boolean plus, String domain, CredentialLookup lookup, List<ChannelBinding> bindings,
            DecoyCredentials decoys, NonceSource nonces) {
        if (plus && bindings.isEmpty()) {
            throw new IllegalArgumentException("-PLUS needs channel-binding data");
        }
        this.hash = hash;
        this.plus = plus;
        this.domain = domain;
        this.lookup = lookup;
        this.bindings = List.copyOf(bindings);
        this.decoys = decoys;
        this.nonces = nonces;
    }

    @Override
    public String mechanismName() {
        return plus ? hash.plusMechanismName() : hash.mechanismName();
    }

    @Override
    public Step evaluate(byte[] clientResponse) throws SaslFailure {
        State current = state;
        state = State.FINISHED; // until a step completes: an exception of any kind ends the exchange
        Step step = switch (current) {
            case AWAITING_CLIENT_FIRST -> onClientFirst(clientResponse);
            case AWAITING_CLIENT_FINAL -> onClientFinal(clientResponse);
            case FINISHED -> throw new SaslFailure(SaslCondition.MALFORMED_REQUEST, "the exchange is over");
        };
        if (step instanceof Step.Challenge) {
            state = serverFirst == null ? State.AWAITING_CLIENT_FIRST : State.AWAITING_CLIENT_FINAL;
        }
        return step;
    }

    private Step onClientFirst(byte[] message) throws SaslFailure {
        if (message == null) {
            // RFC 6120 §6.4.2: no initial response, so ask for it with an empty challenge, once.
            if (emptyChallengeSent) {
                throw new SaslFailure(SaslCondition.MALFORMED_REQUEST, "no client-first-message");
            }
            emptyChallengeSent = true;
            return new Step.Challenge(new byte[0]);
        }
        ScramMessages.ClientFirst clientFirst = ScramMessages.parseClientFirst(message);
        byte[] bindingData = checkChannelBindingFlag(clientFirst);
        expectedChannelBinding = concat(clientFirst.gs2Header().getBytes(StandardCharsets.UTF_8), bindingData);

        username = SaslIdentity.normalizeUsername(clientFirst.username());
        if (clientFirst.authzid() != null
                && (username == null || !SaslIdentity.authzidMatches(clientFirst.authzid(), username, domain))) {
            throw new SaslFailure(SaslCondition.INVALID_AUTHZID, "authzid is not the account's bare JID");
        }
        Optional<ScramCredential> found = username == null ? Optional.empty() : findCredential(username);
        decoy = found.isEmpty();
        credential = found.orElseGet(() -> decoys.forUser(
                username != null ? username : clientFirst.username(), hash));

        String serverNonce = nonces.next();
        if (!ScramMessages.isNonce(serverNonce)) {
            throw new IllegalStateException("the nonce source produced an invalid nonce");
        }
        combinedNonce = clientFirst.clientNonce() + serverNonce;
        clientFirstBare = clientFirst.bare();
        serverFirst = "r=" + combinedNonce + ",s=" + Base64.getEncoder().encodeToString(credential.salt())
                + ",i=" + credential.iterations();
        return new Step.Challenge(serverFirst.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * RFC 5802 §6 and XEP-0440: -PLUS requires "p=" with a type this connection has; the plain mechanism
     * requires "n" or "y", and "y" while -PLUS was offered means someone removed -PLUS from the offer.
     *
     * @return the channel-binding data the client must echo in c=, after the GS2 header
     */
    private byte[] checkChannelBindingFlag(ScramMessages.ClientFirst clientFirst) throws SaslFailure {
        char flag = clientFirst.channelBindingFlag();
        if (plus) {
            if (flag != 'p') {
                throw new SaslFailure(SaslCondition.MALFORMED_REQUEST, mechanismName() + " without channel binding");
            }
            return bindings.stream()
                    .filter(binding -> binding.type().equals(clientFirst.channelBindingType()))
                    .findFirst()
                    .orElseThrow(() -> new SaslFailure(SaslCondition.MALFORMED_REQUEST,
                            "unsupported channel-binding type " + clientFirst.channelBindingType()))
                    .data();
        }
        if (flag == 'p') {
            throw new SaslFailure(SaslCondition.MALFORMED_REQUEST, "channel binding with a non-PLUS mechanism");
        }
        if (flag == 'y' && !bindings.isEmpty()) {
            throw new SaslFailure(SaslCondition.NOT_AUTHORIZED,
                    "client supports channel binding but saw no -PLUS offer: possible downgrade attack");
        }
        return NO_CHANNEL_BINDING_DATA;
    }

    private Optional<ScramCredential> findCredential(String localpart) throws SaslFailure {
        Optional<ScramCredential> found;
        try {
            found = lookup.find(localpart, hash);
        } catch (RuntimeException e) {
            throw new SaslFailure(SaslCondition.TEMPORARY_AUTH_FAILURE, "credential lookup failed: " + e);
        }
        if (found == null || found.isPresent() && found.get().hash() != hash) {
            throw new SaslFailure(SaslCondition.TEMPORARY_AUTH_FAILURE, "credential lookup returned a wrong result");
        }
        return found;
    }

    private Step onClientFinal(byte[] message) throws SaslFailure {
        if (message == null) {
            throw new SaslFailure(SaslCondition.MALFORMED_REQUEST, "no client-final-message");
        }
        ScramMessages.ClientFinal clientFinal = ScramMessages.parseClientFinal(message);
        if (!MessageDigest.isEqual(clientFinal.channelBinding(), expectedChannelBinding)) {
            throw new SaslFailure(SaslCondition.NOT_AUTHORIZED, "channel binding (c=) does not match");
        }
        if (!clientFinal.nonce().equals(combinedNonce)) {
            throw new SaslFailure(SaslCondition.NOT_AUTHORIZED, "nonce does not match");
        }
        byte[] proof = clientFinal.proof();
        if (proof.length != hash.outputLength()) {
            throw new SaslFailure(SaslCondition.NOT_AUTHORIZED, "proof has the wrong length");
        }
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + clientFinal.withoutProof())
                .getBytes(StandardCharsets.UTF_8);
        byte[] storedKey = credential.storedKey();
        byte[] clientSignature = hash.hmac(storedKey, authMessage);
        byte[] clientKey = new byte[proof.length];
        for (int i = 0; i < proof.length; i++) {
            clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
        }
        boolean proofValid = MessageDigest.isEqual(hash.hash(clientKey), storedKey);
        if (!proofValid || decoy) {
            throw new SaslFailure(SaslCondition.NOT_AUTHORIZED, decoy ? "unknown user" : "wrong proof");
        }
        byte[] serverSignature = hash.hmac(credential.serverKey(), authMessage);
        String serverFinal = "v=" + Base64.getEncoder().encodeToString(serverSignature);
        return new Step.Success(username, serverFinal.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] result = new byte[first.length + second.length];
        System.arraycopy(first, 0, result, 0, first.length);
        System.arraycopy(second, 0, result, first.length, second.length);
        return result;
    }
}
