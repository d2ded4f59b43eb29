package org.skerry.interop.federation;

import java.util.List;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A Skerry node and a real Prosody 0.12 (Debian's package) federate with dialback over STARTTLS
 * ({@link ForeignServerFederationTests}). Prosody finds Skerry through the hosts file that {@link ProsodyPeer} gives
 * its resolver. With its mod_s2s_bidi on, the two use one bidirectional link (XEP-0288). Runs only with
 * {@code -Dskerry.interop=true}.
 */
@EnabledIfSystemProperty(named = "skerry.interop", matches = "true")
class ProsodyFederationTest extends ForeignServerFederationTests {
    ProsodyFederationTest() { super("skerry-fed.test", "127.0.0.53", "Prosody", true); }

    @Override
    ForeignServer startPeer(String hostsLine) throws Exception {
        return ProsodyPeer.startWithDialback("prosody.test", "127.0.0.52", List.of(hostsLine),
                "bob", "bob-secret", "dave", "dave-secret");
    }
}
