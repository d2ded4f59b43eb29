package org.skerry.server.auth;

import java.util.Optional;

/**
 * Where SASL finds a user's SCRAM credential; implemented by the storage layer. One lookup serves one domain:
 * the caller binds the domain, so {@code username} is just the (normalized) localpart.
 *
 * <p>Implementations may block (the stream layer runs SASL off the event loop). A {@link RuntimeException}
 * thrown here is reported to the client as {@link SaslCondition#TEMPORARY_AUTH_FAILURE}.
 */
@FunctionalInterface
public interface CredentialLookup {

    /** The credential for {@code username} and {@code hash}, or empty when there is no such user or hash. */
    Optional<ScramCredential> find(String username, ScramHash hash);
}
