package org.skerry.server;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.skerry.server.storage.AccountRepository;
import org.skerry.server.storage.Database;
import org.skerry.server.storage.OfflineRepository;
import org.skerry.server.storage.OrderedExecutor;
import org.skerry.server.storage.PrivateXmlRepository;
import org.skerry.server.storage.RosterRepository;

/**
 * The node's repositories and the ordered worker pool that every storage call runs on, so that no Netty event
 * loop ever blocks on the database. Work for one account uses the account's bare JID as the ordering key, so
 * that its roster and offline changes apply in the order they were asked for.
 */
public record Storage(Database database, OrderedExecutor executor, AccountRepository accounts,
                      RosterRepository roster, OfflineRepository offline, PrivateXmlRepository privateXml) {

    public <T> CompletableFuture<T> run(Object orderingKey, Callable<T> work) {
        return executor.submit(orderingKey, work);
    }

    public static Storage open(Database database, OrderedExecutor executor) {
        var ds = database;
        return new Storage(ds, executor, new AccountRepository(ds), new RosterRepository(ds),
                new OfflineRepository(ds), new PrivateXmlRepository(ds));
    }
}
