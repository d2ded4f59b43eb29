package org.skerry.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlainServerTest {
    private static final SaslConnection TLS = new SaslConnection("localhost", true, true, List.of());

    private final InMemoryCredentials accounts = new InMemoryCredentials()
            .add("juliet", ScramCredential.deriveAll("r0meo-pass", 4096))
            .add("sha1only", ScramCredential.derive(ScramHash.SHA_1, "old", new byte[16], 4096))
            .add("hyphen", ScramCredential.deriveAll("I\u00ADX", 4096));
    private final SaslMechanisms mechanisms = SaslMechanisms.withRandomSecret(4096);

    private Step plain(String message) throws SaslFailure {
        return mechanisms.create("PLAIN", TLS, accounts).evaluate(message.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertFails(SaslCondition condition, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(SaslFailure.class,
                failure -> assertThat(failure.condition()).isEqualTo(condition));
    }

    @Test
    void goodPassword() throws SaslFailure {
        Step.Success success = (Step.Success) plain("\0juliet\0r0meo-pass");
        assertThat(success.authenticatedUsername()).isEqualTo("juliet");
        assertThat(success.additionalData()).isNull();
    }

    @Test
    void goodPasswordWithOwnAuthzid() throws SaslFailure {
        assertThat(plain("juliet@localhost\0juliet\0r0meo-pass")).isInstanceOf(Step.Success.class);
    }

    @Test
    void accountWithOnlyAnOldHashStillWorks() throws SaslFailure {
        assertThat(((Step.Success) plain("\0sha1only\0old")).authenticatedUsername()).isEqualTo("sha1only");
    }

    @Test
    void passwordIsSaslprepped() throws SaslFailure {
        // RFC 4013 §3: SOFT HYPHEN maps to nothing, so "I<U+00AD>X" and "IX" are the same password.
        assertThat(plain("\0hyphen\0IX")).isInstanceOf(Step.Success.class);
        assertThat(plain("\0hyphen\0I\u00ADX")).isInstanceOf(Step.Success.class);
    }

    @Test
    void badPasswordAndUnknownUserFailAlike() {
        assertFails(SaslCondition.NOT_AUTHORIZED, () -> plain("\0juliet\0wrong"));
        assertFails(SaslCondition.NOT_AUTHORIZED, () -> plain("\0nobody\0wrong"));
        assertFails(SaslCondition.NOT_AUTHORIZED, () -> plain("\0not a localpart@\0wrong"));
    }

    @Test
    void authzidOfSomeoneElseIsRefused() {
        assertFails(SaslCondition.INVALID_AUTHZID, () -> plain("romeo@localhost\0juliet\0r0meo-pass"));
        assertFails(SaslCondition.INVALID_AUTHZID, () -> plain("juliet@localhost/r\0juliet\0r0meo-pass"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"juliet\0r0meo-pass", "\0juliet\0r0meo-pass\0", "\0\0juliet\0r0meo-pass", "\0juliet\0",
        "\0\0r0meo-pass", "", "juliet r0meo-pass"})
    void wrongNulStructureIsMalformed(String message) {
        assertFails(SaslCondition.MALFORMED_REQUEST, () -> plain(message));
    }

    @Test
    void invalidUtf8AndHugeInputAreMalformed() throws SaslFailure {
        SaslServer server = mechanisms.create("PLAIN", TLS, accounts);
        assertFails(SaslCondition.MALFORMED_REQUEST,
                () -> server.evaluate(new byte[] {0, 'j', 0, (byte) 0xFF, (byte) 0xFE}));
        assertFails(SaslCondition.MALFORMED_REQUEST, () -> plain("\0juliet\0" + "x".repeat(100_000)));
    }

    @Test
    void noInitialResponseGetsAnEmptyChallenge() throws SaslFailure {
        SaslServer server = mechanisms.create("PLAIN", TLS, accounts);
        assertThat(((Step.Challenge) server.evaluate(null)).data()).isEmpty();
        assertThat(server.evaluate("\0juliet\0r0meo-pass".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(Step.Success.class);
        assertFails(SaslCondition.MALFORMED_REQUEST, () -> server.evaluate(new byte[0]));
    }

    @Test
    void emptyInitialResponseIsMalformed() throws SaslFailure {
        SaslServer server = mechanisms.create("PLAIN", TLS, accounts);
        assertFails(SaslCondition.MALFORMED_REQUEST, () -> server.evaluate(new byte[0]));
    }
}
