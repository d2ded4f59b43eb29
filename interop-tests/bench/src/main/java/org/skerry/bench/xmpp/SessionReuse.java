package org.skerry.bench.xmpp;

import java.lang.reflect.Method;
import javax.net.ssl.SSLEngine;

/**
 * Whether a finished TLS handshake resumed an earlier session. Netty's BoringSSL engine knows
 * ({@code isSessionReused}) but keeps it package-private, so it is read by reflection; the JDK engine does not say,
 * and counts as not resumed. A benchmark figure, so that a login rate is read knowing how many handshakes ran in full.
 */
final class SessionReuse {
    private static final Method IS_SESSION_REUSED = find();

    private SessionReuse() {}

    static boolean of(SSLEngine engine) {
        if (IS_SESSION_REUSED == null || !IS_SESSION_REUSED.getDeclaringClass().isInstance(engine)) {
            return false;
        }
        try {
            return (boolean) IS_SESSION_REUSED.invoke(engine);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    private static Method find() {
        try {
            Method method = Class.forName("io.netty.handler.ssl.ReferenceCountedOpenSslEngine")
                    .getDeclaredMethod("isSessionReused");
            method.setAccessible(true);
            return method;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
