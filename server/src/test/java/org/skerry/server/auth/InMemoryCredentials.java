package org.skerry.server.auth;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A {@link CredentialLookup} over a map, standing in for storage in tests. */
final class InMemoryCredentials implements CredentialLookup {
    private final Map<String, Map<ScramHash, ScramCredential>> accounts = new HashMap<>();

    InMemoryCredentials add(String username, List<ScramCredential> credentials) {
        Map<ScramHash, ScramCredential> byHash = accounts.computeIfAbsent(username, u -> new HashMap<>());
        credentials.forEach(credential -> byHash.put(credential.hash(), credential));
        return this;
    }

    InMemoryCredentials add(String username, ScramCredential credential) {
        return add(username, List.of(credential));
    }

    @Override
    public Optional<ScramCredential> find(String username, ScramHash hash) {
        return Optional.ofNullable(accounts.getOrDefault(username, Map.of()).get(hash));
    }
}
