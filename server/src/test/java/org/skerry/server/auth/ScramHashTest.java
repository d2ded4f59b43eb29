package org.skerry.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Hi() reuses the HMAC pad states instead of the JCA's Mac; it must equal the JCA's PBKDF2 for every hash, also
 * for a key longer than the hash's block (HMAC hashes such a key first) and for one iteration.
 */
class ScramHashTest {

    @ParameterizedTest
    @EnumSource(ScramHash.class)
    void saltedPasswordEqualsTheJcaPbkdf2(ScramHash hash) throws Exception {
        String blockLongPassword = "x".repeat(200);
        for (String password : new String[] {"pencil", blockLongPassword}) {
            for (int iterations : new int[] {1, 2, 4096}) {
                byte[] salt = "salt-of-sixteen!".getBytes(StandardCharsets.US_ASCII);
                assertThat(hash.saltedPassword(password.getBytes(StandardCharsets.US_ASCII), salt, iterations))
                        .as("%s, %d iterations, %d-byte password", hash, iterations, password.length())
                        .isEqualTo(jcaPbkdf2(hash, password, salt, iterations));
            }
        }
    }

    private static byte[] jcaPbkdf2(ScramHash hash, String password, byte[] salt, int iterations) throws Exception {
        SecretKeyFactory factory = SecretKeyFactory.getInstance("PBKDF2With" + hash.hmacAlgorithm());
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, hash.outputLength() * 8);
        return factory.generateSecret(spec).getEncoded();
    }
}
