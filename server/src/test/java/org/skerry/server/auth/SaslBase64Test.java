package org.skerry.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SaslBase64Test {

    @Test
    void initialResponseAbsentVersusEmpty() throws SaslFailure {
        assertThat(SaslBase64.decodeInitialResponse(null)).isNull();
        assertThat(SaslBase64.decodeInitialResponse("")).isNull();
        assertThat(SaslBase64.decodeInitialResponse("=")).isEmpty();
        assertThat(SaslBase64.decodeInitialResponse("dXNlcg==")).isEqualTo("user".getBytes(StandardCharsets.UTF_8));
        assertThat(SaslBase64.decodeInitialResponse(" dXNlcg==\n")).isEqualTo("user".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void responseIsNeverAbsent() throws SaslFailure {
        assertThat(SaslBase64.decodeResponse(null)).isEmpty();
        assertThat(SaslBase64.decodeResponse("")).isEmpty();
        assertThat(SaslBase64.decodeResponse("=")).isEmpty();
    }

    @Test
    void encodeDistinguishesNoDataFromEmptyData() {
        assertThat(SaslBase64.encode(null)).isEmpty();
        assertThat(SaslBase64.encode(new byte[0])).isEqualTo("=");
        assertThat(SaslBase64.encode(new byte[] {'v', '='})).isEqualTo("dj0=");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dXNlcg", "dXNlch==", "dXN lcg==", "dXNlcg==\ndXNlcg==", "!!!!", "====", "dXNl-g==", "=a=="})
    void nonCanonicalOrInvalidBase64IsIncorrectEncoding(String text) {
        assertThatThrownBy(() -> SaslBase64.decodeResponse(text)).isInstanceOfSatisfying(SaslFailure.class,
                failure -> assertThat(failure.condition()).isEqualTo(SaslCondition.INCORRECT_ENCODING));
    }
}
