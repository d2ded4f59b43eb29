package org.skerry.interop.federation;

import java.util.List;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A Skerry node and a real ejabberd 23.01 (Debian's package) federate with dialback over STARTTLS
 * ({@link ForeignServerFederationTests}). ejabberd finds Skerry through the hosts file that {@link EjabberdPeer}
 * lays over its own /etc/hosts. ejabberd 23.01 has no XEP-0288, so the two use one link per direction. Runs only
 * with {@code -Dskerry.interop=true}.
 */
@EnabledIfSystemProperty(named = "skerry.interop", matches = "true")
class EjabberdFederationTest extends ForeignServerFederationTests {
    EjabberdFederationTest() { super("skerry-ej.test", "127.0.0.63", "ejabberd", false); }

    @Override
    ForeignServer startPeer(String hostsLine) throws Exception {
        return EjabberdPeer.startWithDialback("ejabberd.test", "127.0.0.62", List.of(hostsLine),
                "bob", "bob-secret", "dave", "dave-secret");
    }
}
