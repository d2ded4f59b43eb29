package org.skerry.server.storage;

import java.time.Instant;

/** One account as an administrator sees it in a list: its name, when it was created, and since when it is locked. */
public record AccountSummary(String domain, String username, Instant createdAt, Instant lockedAt) {
    public boolean locked() { return lockedAt != null; }
}
