package org.skerry.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The published SCRAM examples, reproduced byte for byte: RFC 5802 §5 (SCRAM-SHA-1) and RFC 7677 §3
 * (SCRAM-SHA-256), with the server nonce injected.
 */
class ScramRfcVectorsTest {

    private static final String DOMAIN = "example.org";

    private static Step evaluate(SaslServer server, String message) throws SaslFailure {
        return server.evaluate(message.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(byte[] data) {
        return new String(data, StandardCharsets.UTF_8);
    }

    private static void assertVector(ScramHash hash, String salt, String serverNonce, String clientFirst,
            String serverFirst, String clientFinal, String serverFinal) throws Exception {
        ScramCredential credential =
                ScramCredential.derive(hash, "pencil", Base64.getDecoder().decode(salt), 4096);
        CredentialLookup lookup = new InMemoryCredentials().add("user", credential);
        SaslMechanisms mechanisms = new SaslMechanisms(new byte[32], 4096, () -> serverNonce);
        SaslServer server = mechanisms.create(hash.mechanismName(),
                new SaslConnection(DOMAIN, false, false, List.of()), lookup);

        Step challenge = evaluate(server, clientFirst);
        assertThat(challenge).isInstanceOf(Step.Challenge.class);
        assertThat(text(((Step.Challenge) challenge).data())).isEqualTo(serverFirst);

        Step success = evaluate(server, clientFinal);
        assertThat(success).isInstanceOf(Step.Success.class);
        assertThat(((Step.Success) success).authenticatedUsername()).isEqualTo("user");
        assertThat(text(((Step.Success) success).additionalData())).isEqualTo(serverFinal);
    }

    @Test
    void rfc5802ScramSha1() throws Exception {
        assertVector(ScramHash.SHA_1, "QSXCR+Q6sek8bf92", "3rfcNHYJY1ZVvWVs7j",
                "n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL",
                "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096",
                "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=",
                "v=rmF9pqV8S7suAoZWja4dJRkFsKQ=");
    }

    @Test
    void rfc7677ScramSha256() throws Exception {
        assertVector(ScramHash.SHA_256, "W22ZaJ0SNY7soEsUEjb6gQ==", "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0",
                "n,,n=user,r=rOprNGfwEbeRWgbNEkqO",
                "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
                "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                        + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
                "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
    }

    /** The test client must produce the RFC's own messages too, or the round-trip tests prove little. */
    @Test
    void testClientReproducesRfc7677() {
        ScramClient client = new ScramClient("SCRAM-SHA-256", "user", "pencil").clientNonce("rOprNGfwEbeRWgbNEkqO");
        assertThat(text(client.clientFirstMessage())).isEqualTo("n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
        byte[] clientFinal = client.clientFinalMessage(("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096").getBytes(StandardCharsets.UTF_8));
        assertThat(text(clientFinal)).isEqualTo("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
        assertThat(client.serverFinalIsValid(
                "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(client.serverFinalIsValid(
                "v=7rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=".getBytes(StandardCharsets.UTF_8))).isFalse();
    }
}
