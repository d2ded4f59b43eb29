package org.skerry.server.config;

/**
 * {@code [offline]}: messages kept for users who are not online.
 *
 * @param maxMessagesPerUser messages stored per user; 0 = offline storage disabled
 */
public record OfflineConfig(int maxMessagesPerUser) {

    /** False when offline storage is disabled (max_messages_per_user = 0). */
    public boolean enabled() {
        return maxMessagesPerUser > 0;
    }

    static OfflineConfig from(ResolvedValues v) throws ConfigException {
        return new OfflineConfig(v.integer("offline.max_messages_per_user", 0, 1_000_000));
    }
}
