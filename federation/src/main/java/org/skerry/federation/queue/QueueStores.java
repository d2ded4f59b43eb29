package org.skerry.federation.queue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.skerry.server.storage.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the outbound queue's store: beside an embedded H2 file, a {@link QueueJournal} in a directory next to it
 * named after it ({@code data/skerry.federation-queue} beside {@code data/skerry.mv.db}; why: see the journal); on a database server, its
 * {@code federation_queue} table, where the queue is as safe as everything else of the node. Stanzas that a release
 * before the journal left in the table of an H2 file move into the journal at the first start.
 */
final class QueueStores {
    private static final Logger log = LoggerFactory.getLogger(QueueStores.class);

    private static final int MOVE_BATCH = 1000;

    private QueueStores() {}

    /** Blocking: call it on the storage executor, at start-up. */
    static QueueStore open(Database database) {
        Optional<Path> file = database.embeddedFile();
        if (file.isEmpty()) {
            return new QueueRepository(database);
        }
        QueueJournal journal = QueueJournal.open(journalDirectory(file.get()));
        try {
            long moved = moveTable(new QueueRepository(database), journal);
            if (moved > 0) {
                log.info("Moved {} queued stanzas from the database into the outbound queue's journal", moved);
            }
            return journal;
        } catch (RuntimeException e) {
            journal.close();
            throw e;
        }
    }

    /** Where the journal of the H2 file at {@code file} (its base path, without {@code .mv.db}) is. */
    static Path journalDirectory(Path file) {
        Path absolute = file.toAbsolutePath();
        return absolute.resolveSibling(absolute.getFileName() + ".federation-queue");
    }

    /**
     * Appends everything in the table to the journal, peer by peer in queue order, and deletes each batch from the
     * table once it is on the journal's disk. A crash between the two sends that batch twice; the peer drops the
     * repeats by their stanza-id, as after any reconnect.
     */
    static long moveTable(QueueRepository table, QueueJournal journal) {
        long moved = 0;
        for (Map.Entry<String, Long> peer : table.depths().entrySet()) {
            List<QueuedStanza> rows;
            while (!(rows = table.head(peer.getKey(), MOVE_BATCH)).isEmpty()) {
                journal.appendAll(peer.getKey(), rows.stream()
                        .map(row -> new QueueStore.NewStanza(row.stanzaId(), row.xml(), row.queuedAt())).toList());
                journal.force();
                table.remove(peer.getKey(), rows.stream().map(QueuedStanza::id).toList());
                moved += rows.size();
            }
        }
        return moved;
    }
}
