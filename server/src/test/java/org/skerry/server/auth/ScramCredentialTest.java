package org.skerry.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ScramCredentialTest {

    @Test
    void deriveAllGivesOneCredentialPerHashWithItsOwnSalt() {
        List<ScramCredential> all = ScramCredential.deriveAll("secret", 4096);
        assertThat(all).extracting(ScramCredential::hash)
                .containsExactly(ScramHash.SHA_1, ScramHash.SHA_256, ScramHash.SHA_512);
        assertThat(all).allSatisfy(credential -> {
            assertThat(credential.iterations()).isEqualTo(4096);
            assertThat(credential.salt()).hasSize(ScramCredential.SALT_LENGTH);
            assertThat(credential.storedKey()).hasSize(credential.hash().outputLength());
            assertThat(credential.serverKey()).hasSize(credential.hash().outputLength());
            assertThat(credential.matchesPassword("secret")).isTrue();
            assertThat(credential.matchesPassword("Secret")).isFalse();
            assertThat(credential.matchesPassword("")).isFalse();
        });
        assertThat(all.get(0).salt()).isNotEqualTo(all.get(1).salt());
    }

    @Test
    void sameSaltSamePasswordSameKeys() {
        SecureRandom random = new SecureRandom();
        ScramCredential first = ScramCredential.derive(ScramHash.SHA_256, "pw", 4096, random);
        ScramCredential again = ScramCredential.derive(ScramHash.SHA_256, "pw", first.salt(), 4096);
        assertThat(again).isEqualTo(first);
        assertThat(ScramCredential.derive(ScramHash.SHA_256, "pw", 4096, random)).isNotEqualTo(first);
    }

    @Test
    void weakOrEmptyInputIsRefused() {
        assertThatThrownBy(() -> ScramCredential.deriveAll("pw", 1000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScramCredential.deriveAll("", 4096)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScramCredential.deriveAll("\u00AD", 4096)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScramCredential.deriveAll("bell\u0007", 4096))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keysAreCopiedAndNeverPrinted() {
        ScramCredential credential = ScramCredential.deriveAll("pw", 4096).get(1);
        credential.storedKey()[0] ^= 1;
        assertThat(credential.matchesPassword("pw")).isTrue();
        assertThat(credential.toString()).isEqualTo("ScramCredential[SHA_256, i=4096]");
    }

    /** RFC 4013 §3 examples, plus the mapping of non-ASCII spaces. */
    @ParameterizedTest
    @CsvSource({"I\u00ADX,IX", "user,user", "USER,USER", "\u00AA,a", "\u2168,IX", "a\u00A0b,a b", "a\u200Bb,ab"})
    void saslprepExamples(String input, String expected) {
        assertThat(Saslprep.prepareStored(input)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0007", "\u0627\u0031", "a\uE000", "a\uD800", "a\uFFFE", "\u202Ea", "a\u2028b",
        "\u0627a\u0628"})
    void saslprepProhibitions(String input) {
        assertThatThrownBy(() -> Saslprep.prepareQuery(input)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unassignedCodePointsOnlyInQueries() {
        String unassigned = new String(Character.toChars(0x0378)); // unassigned in every Unicode version so far
        assertThat(Saslprep.prepareQuery(unassigned)).isEqualTo(unassigned);
        assertThatThrownBy(() -> Saslprep.prepareStored(unassigned)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Saslprep.prepareStored("\u0627\u0628")).isEqualTo("\u0627\u0628"); // all-RTL is fine
    }
}
