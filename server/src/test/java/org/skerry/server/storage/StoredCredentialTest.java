package org.skerry.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StoredCredentialTest {
    @Test
    void rejectsUnknownMechanismsAndEmptyValues() {
        byte[] key = {1, 2, 3};
        assertThatThrownBy(() -> new StoredCredential("PLAIN", key, 4096, key, key))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StoredCredential("SCRAM-SHA-256-PLUS", key, 4096, key, key))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StoredCredential("SCRAM-SHA-256", key, 0, key, key))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StoredCredential("SCRAM-SHA-256", new byte[0], 4096, key, key))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StoredCredential("SCRAM-SHA-256", key, 4096, null, key))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void isImmutableAndComparesByContent() {
        byte[] salt = {1, 2, 3};
        StoredCredential credential = new StoredCredential("SCRAM-SHA-1", salt, 4096, new byte[] {4}, new byte[] {5});
        salt[0] = 99;
        credential.salt()[1] = 99;
        assertThat(credential.salt()).containsExactly(1, 2, 3);
        StoredCredential same = new StoredCredential("SCRAM-SHA-1", new byte[] {1, 2, 3}, 4096, new byte[] {4},
                new byte[] {5});
        assertThat(credential).isEqualTo(same).hasSameHashCodeAs(same);
        assertThat(credential).isNotEqualTo(new StoredCredential("SCRAM-SHA-1", new byte[] {1, 2, 3}, 4096,
                new byte[] {4}, new byte[] {6}));
    }

    @Test
    void toStringLeavesTheKeysOut() {
        StoredCredential credential = new StoredCredential("SCRAM-SHA-1", new byte[] {1}, 4096, new byte[] {42},
                new byte[] {43});
        assertThat(credential.toString()).contains("SCRAM-SHA-1").doesNotContain("42").doesNotContain("[B@");
    }
}
