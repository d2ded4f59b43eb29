package org.skerry.bench.xmpp;

import io.netty.handler.ssl.SslContext;
import java.time.Duration;

/**
 * How every session of a run logs in. {@code sslContext} is null without STARTTLS; {@code resource} null lets the
 * server choose the resource (no conflicts when a reconnect races the server noticing the old connection's end).
 */
public record SessionSettings(SslContext sslContext, Mechanism mechanism, String resource, Duration loginTimeout,
        ScramSha1.SaltedPasswords saltedPasswords) {

    public enum Mechanism {
        PLAIN("PLAIN"), SCRAM_SHA_1("SCRAM-SHA-1");

        private final String saslName;

        Mechanism(String saslName) { this.saslName = saslName; }

        public String saslName() { return saslName; }

        public static Mechanism fromSaslName(String name) {
            for (Mechanism mechanism : values()) {
                if (mechanism.saslName.equalsIgnoreCase(name)) {
                    return mechanism;
                }
            }
            throw new IllegalArgumentException("unsupported SASL mechanism " + name + " (PLAIN or SCRAM-SHA-1)");
        }
    }

    public boolean startTls() { return sslContext != null; }
}
