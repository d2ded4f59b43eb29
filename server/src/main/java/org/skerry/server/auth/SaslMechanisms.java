package org.skerry.server.auth;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * The node's SASL mechanisms for c2s: which to offer on a connection, and a fresh {@link SaslServer} for the
 * one the client picks.
 *
 * <p>One instance serves the whole node. It holds the secret from which {@link DecoyCredentials decoy}
 * credentials for unknown users are derived; that secret should be persisted (for example by storage) so that
 * an unknown user's salt stays the same across restarts, as a real user's does.
 */
public final class SaslMechanisms {
    public static final String PLAIN = "PLAIN";

    /** Strongest first: a client that takes the first mechanism it supports gets the best one. */
    private static final List<ScramHash> SCRAM_PREFERENCE = List.of(ScramHash.SHA_512, ScramHash.SHA_256, ScramHash.SHA_1);

    private final DecoyCredentials decoys;
    private final NonceSource nonces;

    /**
     * @param decoySecret     at least 16 secret bytes, stable across restarts if possible
     * @param decoyIterations the iteration count decoys claim; use the count new accounts get, so decoys blend in
     * @param nonces          the source of server nonces; {@link NonceSource#secureRandom()} in production
     */
    public SaslMechanisms(byte[] decoySecret, int decoyIterations, NonceSource nonces) {
        this.decoys = new DecoyCredentials(decoySecret, decoyIterations);
        this.nonces = nonces;
    }

    /** An instance with a random decoy secret, which changes at every restart (see the class comment). */
    public static SaslMechanisms withRandomSecret(int decoyIterations) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return new SaslMechanisms(secret, decoyIterations, NonceSource.secureRandom());
    }

    /**
     * The mechanisms to offer, strongest first: SCRAM -PLUS variants when there is channel-binding data, then
     * plain SCRAM, then PLAIN only when allowed and only on a confidential stream (TLS, or an admin who accepted
     * passwords in the clear).
     */
    public static List<String> offered(boolean confidential, boolean plainAllowed, List<ChannelBinding> bindings) {
        List<String> names = new ArrayList<>();
        if (!bindings.isEmpty()) {
            SCRAM_PREFERENCE.forEach(hash -> names.add(hash.plusMechanismName()));
        }
        SCRAM_PREFERENCE.forEach(hash -> names.add(hash.mechanismName()));
        if (confidential && plainAllowed) {
            names.add(PLAIN);
        }
        return List.copyOf(names);
    }

    /**
     * The types for the XEP-0440 advertisement
     * {@code <sasl-channel-binding xmlns='urn:xmpp:sasl-cb:0'><channel-binding type='…'/></sasl-channel-binding>},
     * in the order given; empty means do not send the element.
     */
    public static List<String> channelBindingTypes(List<ChannelBinding> bindings) {
        return bindings.stream().map(ChannelBinding::type).distinct().toList();
    }

    /**
     * Starts the server side of {@code mechanism}.
     *
     * @throws SaslFailure {@link SaslCondition#INVALID_MECHANISM} when the mechanism is unknown or not offered
     *                     on this connection
     */
    public SaslServer create(String mechanism, SaslConnection connection, CredentialLookup lookup)
            throws SaslFailure {
        if (mechanism == null || !connection.offeredMechanisms().contains(mechanism)) {
            throw new SaslFailure(SaslCondition.INVALID_MECHANISM, "not offered: " + mechanism);
        }
        if (mechanism.equals(PLAIN)) {
            return new PlainServer(connection.domain(), lookup, decoys);
        }
        boolean plus = mechanism.endsWith("-PLUS");
        ScramHash hash = ScramHash.byMechanismName(plus ? mechanism.substring(0, mechanism.length() - 5) : mechanism);
        return new ScramServer(hash, plus, connection.domain(), lookup, connection.channelBindings(), decoys, nonces);
    }
}
