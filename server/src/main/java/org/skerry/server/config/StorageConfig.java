package org.skerry.server.config;

/**
 * {@code [storage]}: where accounts, rosters and queues are kept, and how much work may wait for the disk.
 *
 * @param url           JDBC URL with {@code ${data_dir}} already replaced; {@code jdbc:h2:} or {@code jdbc:postgresql:}
 * @param user          database user ("" for embedded H2)
 * @param password      database password ("" for embedded H2)
 * @param poolSize      JDBC connections in the pool, 1..200
 * @param workerThreads threads of the ordered storage executor, 1..256
 * @param queueCapacity bound of the storage work queue; when full, readers are paused (back-pressure)
 */
public record StorageConfig(String url, String user, String password, int poolSize, int workerThreads,
                            int queueCapacity) {

    static StorageConfig from(ResolvedValues v, String dataDir) throws ConfigException {
        String url = v.interpolated("storage.url", dataDir);
        if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
            throw v.error("storage.url", "must start with jdbc:h2: or jdbc:postgresql: (got \"" + url + "\")");
        }
        return new StorageConfig(url,
                v.string("storage.user"),
                v.string("storage.password"),
                v.integer("storage.pool_size", 1, 200),
                v.integer("storage.worker_threads", 1, 256),
                v.integer("storage.queue_capacity", 1, 10_000_000));
    }

    /** Like the record's, but never prints the password into a log. */
    @Override
    public String toString() {
        return "StorageConfig[url=" + url + ", user=" + user + ", password=" + (password.isEmpty() ? "" : "***")
                + ", poolSize=" + poolSize + ", workerThreads=" + workerThreads + ", queueCapacity=" + queueCapacity + "]";
    }
}
