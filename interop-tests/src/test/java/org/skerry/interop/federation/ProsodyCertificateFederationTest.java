package org.skerry.interop.federation;

import java.util.List;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A Skerry node and a real Prosody 0.12 federate with certificates only ({@link ForeignServerCertificateFederationTests}):
 * Prosody trusts the test CA through its cafile and requires valid certificates with s2s_secure_auth = true. Both
 * links use stream management (Prosody's mod_smacks). Runs only with {@code -Dskerry.interop=true}.
 */
@EnabledIfSystemProperty(named = "skerry.interop", matches = "true")
class ProsodyCertificateFederationTest extends ForeignServerCertificateFederationTests {
    ProsodyCertificateFederationTest() { super("skerry-ca.test", "127.0.0.55", "Prosody"); }

    @Override
    ForeignServer startPeer(String hostsLine, TestCertificateAuthority ca) throws Exception {
        return ProsodyPeer.startWithCertificates("prosody-ca.test", "127.0.0.54", List.of(hostsLine), ca,
                "bob", "bob-secret");
    }

    /** Prosody offers and enables XEP-0198 on s2s streams that authenticated with SASL EXTERNAL. */
    @Override
    boolean linksUseStreamManagement() { return true; }
}
