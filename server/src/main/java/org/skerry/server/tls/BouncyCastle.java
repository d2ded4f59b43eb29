package org.skerry.server.tls;

import java.security.Provider;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

/**
 * The process's BouncyCastle providers, each created once (creating one is slow) on first use and never
 * registered with {@code java.security.Security}: registering would change which implementation every other
 * library in the process gets from the JCA.
 */
final class BouncyCastle {
    private BouncyCastle() {}

    private static final class JceHolder {
        static final BouncyCastleProvider INSTANCE = new BouncyCastleProvider();
    }

    /**
     * BCJSSE doing its cryptography with the private BouncyCastle JCE provider. With its default, the JDK's
     * JCE, BCJSSE cannot sign with RSA-PSS (the algorithm names differ), so TLS 1.3 with an RSA certificate
     * fails with "no selectable cipher suite".
     */
    private static final class JsseHolder {
        static final Provider INSTANCE = new BouncyCastleJsseProvider(false,
                new JcaTlsCryptoProvider().setProvider(JceHolder.INSTANCE));
    }

    /** The JCE provider, for algorithms the JDK lacks or names differently (encrypted PEM keys, RSA-PSS). */
    static BouncyCastleProvider jce() {
        return JceHolder.INSTANCE;
    }

    /** The JSSE (TLS) provider. */
    static Provider jsse() {
        return JsseHolder.INSTANCE;
    }
}
