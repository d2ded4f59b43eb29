package org.skerry.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SaslMechanismsTest {
    private static final ChannelBinding END_POINT = new ChannelBinding("tls-server-end-point", new byte[] {1, 2});
    private static final ChannelBinding EXPORTER = new ChannelBinding("tls-exporter", new byte[] {3, 4});
    private final SaslMechanisms mechanisms = SaslMechanisms.withRandomSecret(4096);
    private final CredentialLookup nobody = (user, hash) -> java.util.Optional.empty();

    @Test
    void cleartextOffersScramOnly() {
        assertThat(SaslMechanisms.offered(false, true, List.of()))
                .containsExactly("SCRAM-SHA-512", "SCRAM-SHA-256", "SCRAM-SHA-1");
    }

    @Test
    void tlsWithoutBindingOffersPlainWhenAllowed() {
        assertThat(SaslMechanisms.offered(true, true, List.of()))
                .containsExactly("SCRAM-SHA-512", "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN");
        assertThat(SaslMechanisms.offered(true, false, List.of()))
                .containsExactly("SCRAM-SHA-512", "SCRAM-SHA-256", "SCRAM-SHA-1");
    }

    @Test
    void bindingAddsPlusVariantsFirst() {
        assertThat(SaslMechanisms.offered(true, true, List.of(END_POINT))).containsExactly(
                "SCRAM-SHA-512-PLUS", "SCRAM-SHA-256-PLUS", "SCRAM-SHA-1-PLUS",
                "SCRAM-SHA-512", "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN");
    }

    @Test
    void channelBindingTypesForXep0440() {
        assertThat(SaslMechanisms.channelBindingTypes(List.of(EXPORTER, END_POINT)))
                .containsExactly("tls-exporter", "tls-server-end-point");
        assertThat(SaslMechanisms.channelBindingTypes(List.of())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SCRAM-SHA-256-PLUS", "PLAIN", "DIGEST-MD5", "scram-sha-1", "", "SCRAM-SHA-384", "EXTERNAL"})
    void mechanismsNotOfferedInTheClearAreInvalid(String mechanism) {
        SaslConnection cleartext = new SaslConnection("localhost", false, true, List.of());
        assertThatThrownBy(() -> mechanisms.create(mechanism, cleartext, nobody))
                .isInstanceOfSatisfying(SaslFailure.class,
                        failure -> assertThat(failure.condition()).isEqualTo(SaslCondition.INVALID_MECHANISM));
    }

    @Test
    void plainIsInvalidWhenDisallowedEvenOverTls() {
        SaslConnection tls = new SaslConnection("localhost", true, false, List.of());
        assertThatThrownBy(() -> mechanisms.create("PLAIN", tls, nobody)).isInstanceOf(SaslFailure.class);
        assertThatThrownBy(() -> mechanisms.create(null, tls, nobody)).isInstanceOf(SaslFailure.class);
    }

    @Test
    void everyOfferedMechanismCanBeCreated() throws SaslFailure {
        SaslConnection full = new SaslConnection("localhost", true, true, List.of(END_POINT, EXPORTER));
        for (String mechanism : full.offeredMechanisms()) {
            assertThat(mechanisms.create(mechanism, full, nobody).mechanismName()).isEqualTo(mechanism);
        }
    }

    @Test
    void bindingsWithoutTlsAreAProgrammingError() {
        assertThatThrownBy(() -> new SaslConnection("localhost", false, false, List.of(END_POINT)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChannelBinding("tls-unique", new byte[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChannelBinding("tls-exporter", new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void conditionElementNames() {
        assertThat(SaslCondition.NOT_AUTHORIZED.elementName()).isEqualTo("not-authorized");
        assertThat(SaslCondition.TEMPORARY_AUTH_FAILURE.elementName()).isEqualTo("temporary-auth-failure");
        assertThat(new SaslFailure(SaslCondition.INVALID_AUTHZID, "x").condition())
                .isEqualTo(SaslCondition.INVALID_AUTHZID);
    }
}
