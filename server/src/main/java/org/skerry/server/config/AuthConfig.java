package org.skerry.server.config;

import java.time.Duration;

/**
 * {@code [auth]}: SCRAM cost and login throttling.
 *
 * @param scramIterations       PBKDF2 iterations for newly set passwords; at least 4096 (RFC 7677)
 * @param maxFailuresPerIp      failed logins from one IP address within failureWindow before it is refused
 * @param maxFailuresPerAccount failed logins to one account within failureWindow before it is refused
 * @param failureWindow         window of both failure counters
 */
public record AuthConfig(int scramIterations, int maxFailuresPerIp, int maxFailuresPerAccount, Duration failureWindow) {

    static AuthConfig from(ResolvedValues v) throws ConfigException {
        return new AuthConfig(
                // The upper bound keeps one login from costing seconds of CPU (a cheap denial of service).
                v.integer("auth.scram_iterations", 4096, 1_000_000),
                v.integer("auth.max_failures_per_ip", 1, 1_000_000),
                v.integer("auth.max_failures_per_account", 1, 1_000_000),
                v.duration("auth.failure_window", false));
    }
}
