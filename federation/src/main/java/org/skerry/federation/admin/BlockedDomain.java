package org.skerry.federation.admin;

import java.time.Instant;

/**
 * A blocked peer domain.
 *
 * @param domain    the domain
 * @param byConfig  true for {@code federation.blocked_domains}, false for a runtime block
 * @param blockedAt when the admin blocked it at runtime; null for the configuration's blocks
 */
public record BlockedDomain(String domain, boolean byConfig, Instant blockedAt) {}
