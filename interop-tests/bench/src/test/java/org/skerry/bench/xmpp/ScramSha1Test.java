package org.skerry.bench.xmpp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScramSha1Test {
    /** RFC 5802 §5: user "user", password "pencil". */
    private static final String CLIENT_NONCE = "fyko+d2lbbFgONRv9qkxdawL";
    private static final String SERVER_FIRST = "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096";

    @Test
    void matchesTheExchangeOfRfc5802() {
        ScramSha1 scram = new ScramSha1("user", "pencil", CLIENT_NONCE, new ScramSha1.SaltedPasswords());
        assertThat(scram.clientFirst()).isEqualTo("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL");
        assertThat(scram.clientFinal(SERVER_FIRST))
                .isEqualTo("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=");
        assertThat(scram.serverFinalValid("v=rmF9pqV8S7suAoZWja4dJRkFsKQ=")).isTrue();
        assertThat(scram.serverFinalValid("v=AAAApqV8S7suAoZWja4dJRkFsKQ=")).isFalse();
        assertThat(scram.serverFinalValid("e=invalid-proof")).isFalse();
    }

    @Test
    void aReconnectReusesTheSaltedPassword() {
        ScramSha1.SaltedPasswords cache = new ScramSha1.SaltedPasswords();
        new ScramSha1("user", "pencil", CLIENT_NONCE, cache).clientFinal(SERVER_FIRST);
        ScramSha1 again = new ScramSha1("user", "pencil", CLIENT_NONCE, cache);
        assertThat(again.clientFinal(SERVER_FIRST)).endsWith("p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=");
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void refusesAServerNonceThatDoesNotExtendOurs() {
        ScramSha1 scram = new ScramSha1("user", "pencil", CLIENT_NONCE, new ScramSha1.SaltedPasswords());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> scram.clientFinal("r=other,s=QSXCR+Q6sek8bf92,i=4096"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
