package org.skerry.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ScramServerTest {
    private static final String DOMAIN = "localhost";
    private static final int ITERATIONS = 4096;
    private static final ChannelBinding END_POINT =
            new ChannelBinding(ChannelBinding.TLS_SERVER_END_POINT, bytes("certificate-hash-of-this-server"));
    private static final SaslConnection CLEARTEXT = new SaslConnection(DOMAIN, false, false, List.of());
    private static final SaslConnection TLS_WITH_BINDING = new SaslConnection(DOMAIN, true, true, List.of(END_POINT));
    private static final SaslConnection TLS_WITHOUT_BINDING = new SaslConnection(DOMAIN, true, true, List.of());

    private final InMemoryCredentials accounts = new InMemoryCredentials()
            .add("juliet", ScramCredential.deriveAll("r0meo-pass", ITERATIONS))
            .add("a,b=c", ScramCredential.deriveAll("escaped", ITERATIONS));
    private final SaslMechanisms mechanisms = SaslMechanisms.withRandomSecret(ITERATIONS);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private SaslServer server(String mechanism, SaslConnection connection) throws SaslFailure {
        return mechanisms.create(mechanism, connection, accounts);
    }

    /** Runs a whole exchange and returns the success, checking the server's "v=" on the way. */
    private Step.Success login(ScramClient client, SaslConnection connection) throws SaslFailure {
        SaslServer server = server(client.mechanism(), connection);
        Step.Challenge serverFirst = (Step.Challenge) server.evaluate(client.clientFirstMessage());
        Step step = server.evaluate(client.clientFinalMessage(serverFirst.data()));
        Step.Success success = (Step.Success) step;
        assertThat(client.serverFinalIsValid(success.additionalData())).isTrue();
        return success;
    }

    private static void assertFails(SaslCondition condition, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(SaslFailure.class,
                failure -> assertThat(failure.condition()).isEqualTo(condition));
    }

    @ParameterizedTest
    @EnumSource(ScramHash.class)
    void roundTripForEveryHash(ScramHash hash) throws SaslFailure {
        Step.Success success = login(new ScramClient(hash.mechanismName(), "juliet", "r0meo-pass"), CLEARTEXT);
        assertThat(success.authenticatedUsername()).isEqualTo("juliet");
    }

    @ParameterizedTest
    @EnumSource(ScramHash.class)
    void plusWithTlsServerEndPointBinding(ScramHash hash) throws SaslFailure {
        ScramClient client = new ScramClient(hash.plusMechanismName(), "juliet", "r0meo-pass")
                .channelBinding(ChannelBinding.TLS_SERVER_END_POINT, END_POINT.data());
        assertThat(login(client, TLS_WITH_BINDING).authenticatedUsername()).isEqualTo("juliet");
    }

    @Test
    void plusFailsWhenTheClientSeesDifferentBindingData() throws SaslFailure {
        // What a man in the middle with his own certificate produces: the client hashed another certificate.
        ScramClient client = new ScramClient("SCRAM-SHA-256-PLUS", "juliet", "r0meo-pass")
                .channelBinding(ChannelBinding.TLS_SERVER_END_POINT, bytes("the-attackers-certificate-hash"));
        SaslServer server = server(client.mechanism(), TLS_WITH_BINDING);
        Step.Challenge serverFirst = (Step.Challenge) server.evaluate(client.clientFirstMessage());
        assertFails(SaslCondition.NOT_AUTHORIZED, () -> server.evaluate(client.clientFinalMessage(serverFirst.data())));
    }

    @Test
    void plusWithABindingTypeTheConnectionLacksFails() throws SaslFailure {
        ScramClient client = new ScramClient("SCRAM-SHA-256-PLUS", "juliet", "r0meo-pass")
                .channelBinding(ChannelBinding.TLS_EXPORTER, bytes("exporter"));
        SaslServer server = server(client.mechanism(), TLS_WITH_BINDING);
        assertFails(SaslCondition.MALFORMED_REQUEST, () -> server.evaluate(client.clientFirstMessage()));
    }

    @Test
    void plusMechanismWithoutChannelBindingFlagFails() throws SaslFailure {
        SaslServer server = server("SCRAM-SHA-256-PLUS", TLS_WITH_BINDING);
        assertFails(SaslCondition.MALFORMED_REQUEST, () -> server.evaluate(bytes("n,,n=juliet,r=abcdef")));
    }

    @Test
    void plainScramWithChannelBindingFlagFails() throws SaslFailure {
        SaslServer server = server("SCRAM-SHA-256", TLS_WITH_BINDING);
        assertFails(SaslCondition.MALFORMED_REQUEST,
                () -> server.evaluate(bytes("p=tls-server-end-point,,n=juliet,r=abcdef")));
    }

    @Test
    void downgradeAttackIsDetected() throws SaslFailure {
        // -PLUS was offered, but the client says "y": it supports binding and saw no -PLUS, so it was stripped.
        ScramClient client = new ScramClient("SCRAM-SHA-256", "juliet", "r0meo-pass").claimServerLacksChannelBinding();
        SaslServer server = server(client.mechanism(), TLS_WITH_BINDING);
        assertFails(SaslCondition.NOT_AUTHORIZED, () -> server.evaluate(client.clientFirstMessage()));
    }

    @Test
    void yFlagIsFineWhenNoPlusWasOffered() throws SaslFailure {
        ScramClient client = new ScramClient("SCRAM-SHA-256", "juliet", "r0meo-pass").claimServerLacksChannelBinding();
        assertThat(login(client, TLS_WITHOUT_BINDING).authenticatedUsername()).isEqualTo("juliet");
    }

    @Test
    void clientWithoutBindingSupportMayUsePlainScramWhenPlusIsOffered() throws SaslFailure {
        ScramClient client = new ScramClient("SCRAM-SHA-512", "juliet", "r0meo-pass");
        assertThat(login(client, TLS_WITH_BINDING).authenticatedUsername()).isEqualTo("juliet");
    }

    @Test
    void gs2HeaderChangedBetweenMessagesFails() throws SaslFailure {
        // The client computes a valid proof for c= "y,,", but the server saw "n,," in the client-first:
        // only the c= check can catch this, since the proof itself is right.
        ScramClient client = new ScramClient("SCRAM-SHA-256", "juliet", "r0meo-pass").claimServerLacksChannelBinding();
        String clientFirst = new String(client.clientFirstMessage(), StandardCharsets.UTF_8);
        assertThat(clientFirst).startsWith("y,,");
        SaslServer server = server(client.mechanism(), TLS_WITHOUT_BINDING);
        Step.Challenge serverFirst = (Step.Challenge) server.evaluate(bytes("n" + clientFirst.substring(1)));
        byte[] clientFinal = client.clientFinalMessage(serverFirst.data());
        assertFails(SaslCondition.NOT_AUTHORIZED, () -> server.evaluate(clientFinal));
    }

    @Test
    void wrongPasswordFailsAtTheProof() throws SaslFailure {
        ScramClient client = new ScramClient("SCRAM-SHA-256", "juliet", "wrong");
        SaslServer server = server(client.mechanism(), CLEARTEXT);
        Step.Challenge serverFirst = (Step.Challenge) server.evaluate(client.clientFirstMessage());
        assertFails(SaslCondition.NOT_AUTHORIZED, () -> server.evaluate(client.clientFinalMessage(serverFirst.data())));
    }

    @Test
    void unknownUserLooksLikeAKnownOneUntilTheProof() throws SaslFailure {
        ScramClient known = new ScramClient("SCRAM-SHA-256", "juliet", "guess");
        ScramClient unknown1 = new ScramClient("SCRAM-SHA-256", "nobody", "guess");
        ScramClient unknown2 = new ScramClient("SCRAM-SHA-256", "nobody", "guess");
        ScramClient otherUnknown = new ScramClient("SCRAM-SHA-256", "nobody-else", "guess");

        failAtTheProof(known);
        failAtTheProof(unknown1);
        failAtTheProof(unknown2);
        failAtTheProof(otherUnknown);

        // Same shape: same iteration count and salt length as a real account.
        assertThat(unknown1.iterations()).isEqualTo(known.iterations()).isEqualTo(ITERATIONS);
        assertThat(unknown1.salt()).hasSameSizeAs(known.salt());
        // Stable across attempts, like a real salt, yet different per user name.
        assertThat(unknown1.salt()).isEqualTo(unknown2.salt()).isNotEqualTo(otherUnknown.salt());
    }

    /** Client-first gets a normal server-first; client-final then fails with not-authorized, like a bad password. */
    private void failAtTheProof(ScramClient client) throws SaslFailure {
        SaslServer server = server(client.mechanism(), CLEARTEXT);
        Step.Challenge serverFirst = (Step.Challenge) server.evaluate(client.clientFirstMessage());
        byte[] clientFinal = client.clientFinalMessage(serverFirst.data());
        assertFails(SaslCondition.NOT_AUTHORIZED, () -> server.evaluate(clientFinal));
    }

    @Test
    void decoySaltIsStableAcrossInstancesWithTheSameSecret() throws SaslFailure {
        byte[] secret = bytes("a persisted secret of 32 bytes!!");
        SaslMechanisms first = new SaslMechanisms(secret, ITERATIONS, NonceSource.secureRandom());
        SaslMechanisms second = new SaslMechanisms(secret, ITERATIONS, NonceSource.secureRandom());
        String salt1 = saltOf(first.create("SCRAM-SHA-1", CLEARTEXT, accounts).evaluate(bytes("n,,n=ghost,r=x")));
        String salt2 = saltOf(second.create("SCRAM-SHA-1", CLEARTEXT, accounts).evaluate(bytes("n,,n=ghost,r=y")));
        assertThat(salt1).isEqualTo(salt2);
    }

    @Test
    void noInitialResponseGetsAnEmptyChallengeFirst() throws SaslFailure {
        ScramClient client = new ScramClient("SCRAM-SHA-1", "juliet", "r0meo-pass");
        SaslServer server = server(client.mechanism(), CLEARTEXT);
        Step first = server.evaluate(null);
        assertThat(((Step.Challenge) first).data()).isEmpty();
        Step.Challenge serverFirst = (Step.Challenge) server.evaluate(client.clientFirstMessage());
        Step.Success success = (Step.Success) server.evaluate(client.clientFinalMessage(serverFirst.data()));
        assertThat(client.serverFinalIsValid(success.additionalData())).isTrue();
    }

    @Test
    void missingDataTwiceFails() throws SaslFailure {
        SaslServer server = server("SCRAM-SHA-1", CLEARTEXT);
        server.evaluate(null);
        assertFails(SaslCondition.MALFORMED_REQUEST, () -> server.evaluate(null));
    }

    @Test
    void emptyInitialResponseIsMalformed() throws SaslFailure {
        SaslServer server = server("SCRAM-SHA-1", CLEARTEXT);
        assertFails(SaslCondition.MALFORMED_REQUEST, () -> server.evaluate(new byte[0]));
    }

    @Test
    void authzidOfTheAccountItselfIsAccepted() throws SaslFailure {
        ScramClient client = new ScramClient("SCRAM-SHA-256", "juliet", "r0meo-pass").authzid("juliet@localhost");
        assertThat(login(client, CLEARTEXT).authenticatedUsername()).isEqualTo("juliet");
    }

    @ParameterizedTest
    @ValueSource(strings = {"romeo@localhost", "juliet@example.org", "juliet@localhost/balcony", "localhost", "@@"})
    void authzidOfAnyoneElseIsRefused(String authzid) throws SaslFailure {
        ScramClient client = new ScramClient("SCRAM-SHA-256", "juliet", "r0meo-pass").authzid(authzid);
        SaslServer server = server(client.mechanism(), CLEARTEXT);
        assertFails(SaslCondition.INVALID_AUTHZID, () -> server.evaluate(client.clientFirstMessage()));
    }

    @Test
    void escapedUsernameIsDecoded() throws SaslFailure {
        ScramClient client = new ScramClient("SCRAM-SHA-256", "a,b=c", "escaped");
        assertThat(new String(client.clientFirstMessage(), StandardCharsets.UTF_8)).contains("n=a=2Cb=3Dc,");
        assertThat(login(new ScramClient("SCRAM-SHA-256", "a,b=c", "escaped"), CLEARTEXT).authenticatedUsername())
                .isEqualTo("a,b=c");
    }

    @Test
    void usernameIsNormalizedToTheLocalpart() throws SaslFailure {
        assertThat(login(new ScramClient("SCRAM-SHA-256", "Juliet", "r0meo-pass"), CLEARTEXT)
                .authenticatedUsername()).isEqualTo("juliet");
    }

    @Test
    void extensionsAreIgnoredButMandatoryOnesRefused() throws SaslFailure {
        assertThat(server("SCRAM-SHA-1", CLEARTEXT).evaluate(bytes("n,,n=juliet,r=abc,x=ext")))
                .isInstanceOf(Step.Challenge.class);
        SaslServer server = server("SCRAM-SHA-1", CLEARTEXT);
        assertFails(SaslCondition.MALFORMED_REQUEST, () -> server.evaluate(bytes("n,,m=mandatory,n=juliet,r=abc")));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "garbage", "n,,", "n,,n=juliet", "n,,r=abc,n=juliet", "n,,n=,r=abc", "n,,n=juliet,r=",
        "n,,n=juliet,r=a b", "n,,n=juli=2Xet,r=abc", "n,,n=juliet=,r=abc", "n=juliet,r=abc", "x,,n=juliet,r=abc",
        "p=,,n=juliet,r=abc", "n,b=x,n=juliet,r=abc", "n,a=,n=juliet,r=abc", "n,,n=juliet,r=abc,", "n,,n=juliet,r=abc,1=x",
        "n,,n=juliet,r=abc,x=", "n,,n=jul\0iet,r=abc", ",,,,,,", "n,,n=juliet,,r=abc"
    })
    void malformedClientFirstMessagesAreRefused(String message) throws SaslFailure {
        SaslServer server = server("SCRAM-SHA-256", CLEARTEXT);
        assertFails(SaslCondition.MALFORMED_REQUEST, () -> server.evaluate(bytes(message)));
    }

    @Test
    void invalidUtf8IsRefused() throws SaslFailure {
        SaslServer server = server("SCRAM-SHA-256", CLEARTEXT);
        byte[] message = {'n', ',', ',', 'n', '=', (byte) 0xC3, (byte) 0x28, ',', 'r', '=', 'a'};
        assertFails(SaslCondition.MALFORMED_REQUEST, () -> server.evaluate(message));
    }

    @Test
    void hugeInputIsRefused() throws SaslFailure {
        SaslServer server = server("SCRAM-SHA-256", CLEARTEXT);
        byte[] huge = bytes("n,,n=juliet,r=" + "a".repeat(100_000));
        assertFails(SaslCondition.MALFORMED_REQUEST, () -> server.evaluate(huge));
    }

    @Test
    void randomBytesAreRefused() throws SaslFailure {
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 200; i++) {
            byte[] noise = new byte[1 + random.nextInt(200)];
            random.nextBytes(noise);
            SaslServer server = server("SCRAM-SHA-256", CLEARTEXT);
            assertThatThrownBy(() -> server.evaluate(noise)).isInstanceOf(SaslFailure.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "c=biws,r=%s", "c=biws,r=%s,p=", "r=%s,c=biws,p=AAAA", "c=,r=%s,p=AAAA", "c=biws,p=AAAA",
        "c=biws,r=%s,p=AAAA,x=y", "garbage", "c=biws,r=%s,1=x,p=AAAA"
    })
    void malformedClientFinalMessagesAreRefused(String template) throws SaslFailure {
        SaslServer server = server("SCRAM-SHA-256", CLEARTEXT);
        String nonce = serverNonce(server.evaluate(bytes("n,,n=juliet,r=abc")));
        assertFails(SaslCondition.MALFORMED_REQUEST, () -> server.evaluate(bytes(template.formatted(nonce))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"c=biws,r=%s,p=not base64!", "c=b!ws,r=%s,p=AAAA", "c=biw,r=%s,p=AAAA", "c=biws,r=%s,p=AAA"})
    void badBase64InClientFinalIsIncorrectEncoding(String template) throws SaslFailure {
        SaslServer server = server("SCRAM-SHA-256", CLEARTEXT);
        String nonce = serverNonce(server.evaluate(bytes("n,,n=juliet,r=abc")));
        assertFails(SaslCondition.INCORRECT_ENCODING, () -> server.evaluate(bytes(template.formatted(nonce))));
    }

    @Test
    void wrongNonceOrProofLengthFails() throws SaslFailure {
        SaslServer server = server("SCRAM-SHA-256", CLEARTEXT);
        serverNonce(server.evaluate(bytes("n,,n=juliet,r=abc")));
        assertFails(SaslCondition.NOT_AUTHORIZED, () -> server.evaluate(bytes("c=biws,r=abcWRONG,p=AAAA")));

        SaslServer other = server("SCRAM-SHA-256", CLEARTEXT);
        String nonce = serverNonce(other.evaluate(bytes("n,,n=juliet,r=abc")));
        assertFails(SaslCondition.NOT_AUTHORIZED, () -> other.evaluate(bytes("c=biws,r=" + nonce + ",p=AAAA")));
    }

    @Test
    void extensionBeforeTheProofIsAllowed() throws SaslFailure {
        ScramClient client = new ScramClient("SCRAM-SHA-256", "juliet", "r0meo-pass");
        SaslServer server = server(client.mechanism(), CLEARTEXT);
        Step.Challenge serverFirst = (Step.Challenge) server.evaluate(client.clientFirstMessage());
        String clientFinal = new String(client.clientFinalMessage(serverFirst.data()), StandardCharsets.UTF_8);
        // An extension is part of AuthMessage, so the proof no longer matches: refused, but as not-authorized.
        String withExtension = clientFinal.replace(",p=", ",x=ext,p=");
        assertFails(SaslCondition.NOT_AUTHORIZED, () -> server.evaluate(bytes(withExtension)));
    }

    @Test
    void noFurtherStepsAfterSuccessOrFailure() throws SaslFailure {
        ScramClient client = new ScramClient("SCRAM-SHA-256", "juliet", "r0meo-pass");
        SaslServer server = server(client.mechanism(), CLEARTEXT);
        Step.Challenge serverFirst = (Step.Challenge) server.evaluate(client.clientFirstMessage());
        server.evaluate(client.clientFinalMessage(serverFirst.data()));
        assertFails(SaslCondition.MALFORMED_REQUEST, () -> server.evaluate(bytes("n,,n=juliet,r=abc")));

        SaslServer failed = server("SCRAM-SHA-256", CLEARTEXT);
        assertFails(SaslCondition.MALFORMED_REQUEST, () -> failed.evaluate(bytes("garbage")));
        ScramClient retry = new ScramClient("SCRAM-SHA-256", "juliet", "r0meo-pass");
        assertFails(SaslCondition.MALFORMED_REQUEST, () -> failed.evaluate(retry.clientFirstMessage()));
    }

    @Test
    void storageFailureIsATemporaryFailure() throws SaslFailure {
        CredentialLookup broken = (user, hash) -> {
            throw new IllegalStateException("database down");
        };
        SaslServer server = mechanisms.create("SCRAM-SHA-256", CLEARTEXT, broken);
        assertFails(SaslCondition.TEMPORARY_AUTH_FAILURE, () -> server.evaluate(bytes("n,,n=juliet,r=abc")));
    }

    @Test
    void credentialForAnotherHashIsNotUsed() throws SaslFailure {
        ScramCredential sha1 = ScramCredential.derive(ScramHash.SHA_1, "pw", new byte[16], ITERATIONS);
        CredentialLookup confused = (user, hash) -> Optional.of(sha1);
        SaslServer server = mechanisms.create("SCRAM-SHA-256", CLEARTEXT, confused);
        assertFails(SaslCondition.TEMPORARY_AUTH_FAILURE, () -> server.evaluate(bytes("n,,n=juliet,r=abc")));
    }

    private static String serverNonce(Step step) {
        String serverFirst = new String(((Step.Challenge) step).data(), StandardCharsets.UTF_8);
        return serverFirst.substring(2, serverFirst.indexOf(','));
    }

    private static String saltOf(Step step) {
        String serverFirst = new String(((Step.Challenge) step).data(), StandardCharsets.UTF_8);
        return Arrays.stream(serverFirst.split(",")).filter(a -> a.startsWith("s=")).findFirst().orElseThrow();
    }
}
