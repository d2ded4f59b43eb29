package org.skerry.server.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/** A private key and its certificate chain, leaf first, checked to belong together. */
record KeyMaterial(PrivateKey privateKey, List<X509Certificate> chain) {
    KeyMaterial {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("empty certificate chain");
        }
        chain = List.copyOf(chain);
    }

    X509Certificate leaf() {
        return chain.get(0);
    }
}
