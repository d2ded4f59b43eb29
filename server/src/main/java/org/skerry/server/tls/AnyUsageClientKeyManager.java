package org.skerry.server.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The client side of s2s: presents the node's certificate when a peer asks for one even if it lacks the clientAuth
 * extended key usage. BCJSSE's PKIX key manager skips such a certificate, so a node with a certificate from a public
 * CA (which no longer include clientAuth) would send none and could never use SASL EXTERNAL. The receiving side
 * validates the chain without the usage check (RFC 6120 §13.7.2 names the peer by domain, not by usage).
 */
final class AnyUsageClientKeyManager extends X509ExtendedKeyManager {
    private static final String OWN = "skerry-node-certificate";

    private final X509ExtendedKeyManager delegate;
    private final KeyMaterial material;

    AnyUsageClientKeyManager(X509ExtendedKeyManager delegate, KeyMaterial material) {
        this.delegate = delegate;
        this.material = material;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        String chosen = delegate.chooseEngineClientAlias(keyTypes, issuers, engine);
        return chosen != null ? chosen : ownIfKeyTypeFits(keyTypes);
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        String chosen = delegate.chooseClientAlias(keyTypes, issuers, socket);
        return chosen != null ? chosen : ownIfKeyTypeFits(keyTypes);
    }

    /** Our alias only when the peer can verify our key's signatures; otherwise no certificate at all. */
    private String ownIfKeyTypeFits(String[] keyTypes) {
        String algorithm = material.privateKey().getAlgorithm();
        return keyTypes != null && Arrays.stream(keyTypes).anyMatch(type -> type.startsWith(algorithm)) ? OWN : null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return OWN.equals(alias) ? material.chain().toArray(new X509Certificate[0]) : delegate.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return OWN.equals(alias) ? material.privateKey() : delegate.getPrivateKey(alias);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return delegate.getClientAliases(keyType, issuers);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return delegate.getServerAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return delegate.chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return delegate.chooseEngineServerAlias(keyType, issuers, engine);
    }
}
