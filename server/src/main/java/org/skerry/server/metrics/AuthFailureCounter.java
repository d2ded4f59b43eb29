package org.skerry.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Failed client logins: the counter {@value #NAME}, tagged with the SASL {@code mechanism} ({@code none} when the
 * client named none we offer: the tag never takes a value a client chose) and the {@code reason} (the RFC 6120
 * §6.5 condition, e.g. {@code not-authorized}, or {@code temporary-auth-failure} when the throttle refused).
 */
public final class AuthFailureCounter {
    public static final String NAME = "skerry.c2s.auth.failures";

    private final MeterRegistry registry;

    public AuthFailureCounter(MeterRegistry registry) {
        this.registry = registry;
    }

    /** @param mechanism an offered mechanism's name, or null */
    public void failed(String mechanism, String reason) {
        // Failures are rare next to stanzas, and the registry finds an existing counter by its id.
        Counter.builder(NAME).description("Failed SASL authentications of clients")
                .tags("mechanism", mechanism == null ? "none" : mechanism, "reason", reason)
                .register(registry).increment();
    }
}
