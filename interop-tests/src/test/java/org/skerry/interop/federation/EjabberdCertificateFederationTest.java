package org.skerry.interop.federation;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A Skerry node and a real ejabberd 23.01 federate with certificates only ({@link ForeignServerCertificateFederationTests}):
 * ejabberd trusts the test CA through s2s_cafile, requires STARTTLS, and has no dialback module, so SASL EXTERNAL is
 * the only way either side authenticates. Runs only with {@code -Dskerry.interop=true}.
 */
@EnabledIfSystemProperty(named = "skerry.interop", matches = "true")
class EjabberdCertificateFederationTest extends ForeignServerCertificateFederationTests {
    EjabberdCertificateFederationTest() { super("skerry-ejca.test", "127.0.0.67", "ejabberd"); }

    @Override
    ForeignServer startPeer(String hostsLine, TestCertificateAuthority ca) throws Exception {
        return EjabberdPeer.startWithCertificates("ejabberd-ca.test", "127.0.0.66", List.of(hostsLine), ca,
                "bob", "bob-secret");
    }

    /** ejabberd 23.01 does XEP-0198 for clients only (mod_stream_mgmt), not on s2s. */
    @Override
    boolean linksUseStreamManagement() { return false; }

    /** ejabberd 23.01 has no XEP-0288 (mod_s2s_bidi came in later releases). */
    @Override
    boolean peerDoesBidi() { return false; }

    /**
     * ejabberd 23.01 verifies a connecting server's certificate for the TLS client purpose and refuses SASL EXTERNAL
     * without clientAuth ("unsupported certificate purpose", processone/ejabberd#4392, fixed in later releases), so
     * Skerry presents a certificate with clientAuth here. ejabberd's own certificate has serverAuth only, which
     * Skerry accepts from a connecting server.
     */
    @Override
    TestCertificateAuthority.PemPair skerryCertificate(TestCertificateAuthority ca, String domain, Path dir)
            throws Exception {
        return ca.issueWithClientAuth(domain, dir);
    }
}
