package org.skerry.federation.queue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.skerry.federation.queue.JournalRecords.Append;
import org.skerry.federation.queue.JournalRecords.DamagedRecordException;
import org.skerry.federation.queue.JournalRecords.Remove;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbound queue in append-only files of its own, used beside an embedded H2 file. Why not H2's table: every
 * relayed stanza is one insert and one delete, and each H2 commit rewrites a chunk of the file and allocates for
 * every map of the database; in the s2s benchmark (2000 msg/s) the queue's storage work took 30 % of a node's CPU
 * and its allocation put 4-8 ms young collections under 1 % of the stanzas. Here a commit is one write of the
 * record's bytes.
 *
 * <p>Files: {@code NNN.seg} segments, written one after the other ({@link JournalRecords}: every stanza an append
 * record, every acknowledgement a remove record). A call returns once its bytes are written to the operating
 * system, which is what a killed process needs (as H2 with {@code WRITE_DELAY=0}); a thread forces the segments
 * written since its last pass to disk every second (as {@code H2Syncer} does for the H2 file), which bounds what a
 * power cut can take. Opening replays every segment into an index in memory (id, time, where the record is: the
 * stanza itself stays on disk, so a long queue costs memory per stanza, not per byte); a record cut short by a crash
 * or damaged ends the replay of its segment with a warning. After a start, records go to a new segment, so nothing
 * is ever written after a damaged tail.
 *
 * <p>Space: segments are deleted from the oldest end, once a segment and every older one hold no queued stanza, so
 * that a remove record is kept as long as the append it cancels. When the newest segment is full and the oldest is
 * mostly acknowledged (its stanzas still queued take no more than a quarter of a segment), those stanzas' records
 * are copied into the newest segment, forced to disk, and the oldest deleted: a peer that stays down does not keep
 * every segment written since.
 *
 * <p>Thread-safe; every method but {@link #close} is called on the storage executor. One process at a time: the
 * directory is locked.
 */
final class QueueJournal implements QueueStore, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QueueJournal.class);

    static final long DEFAULT_SEGMENT_BYTES = 64L << 20;
    private static final String SUFFIX = ".seg";

    /** One file. Guarded by the journal. */
    private static final class Segment {
        final long number;
        final Path path;
        FileChannel channel;
        long size;
        int live;
        long liveBytes;
        /** Written since the syncer last forced it. */
        boolean dirty;
        /** A write failed: nothing more is written here. */
        boolean broken;

        Segment(long number, Path path, FileChannel channel, long size) {
            this.number = number;
            this.path = path;
            this.channel = channel;
            this.size = size;
        }

        /** The channel, opened again if an interrupted thread closed it (NIO closes a channel on interrupt). */
        FileChannel channel() throws IOException {
            if (!channel.isOpen()) {
                channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            }
            return channel;
        }
    }

    /** Where a queued stanza's append record is. */
    private record Entry(long id, Instant queuedAt, Segment segment, long position, int length) {}

    private final Path directory;
    private final long segmentBytes;
    private final FileChannel lockFile;
    private final FileLock lock;
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private final Map<String, TreeMap<Long, Entry>> peers = new HashMap<>();
    private final DiskSync sync;
    private Segment active;
    private long lastId;
    private boolean closed;

    private QueueJournal(Path directory, long segmentBytes, FileChannel lockFile, FileLock lock) {
        this.directory = directory;
        this.segmentBytes = segmentBytes;
        this.lockFile = lockFile;
        this.lock = lock;
        this.sync = new DiskSync(this::takeDirtyChannels);
    }

    /** Opens (or creates) the journal in {@code directory} and replays it. */
    static QueueJournal open(Path directory) {
        return open(directory, DEFAULT_SEGMENT_BYTES);
    }

    static QueueJournal open(Path directory, long segmentBytes) {
        FileChannel lockFile = null;
        try {
            Files.createDirectories(directory);
            lockFile = FileChannel.open(directory.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = tryLock(lockFile);
            if (lock == null) {
                throw new IllegalStateException("Another process is using the outbound queue in " + directory);
            }
            QueueJournal journal = new QueueJournal(directory, segmentBytes, lockFile, lock);
            journal.replay();
            synchronized (journal) {
                journal.startSegment();
                journal.compact();
            }
            journal.sync.start();
            return journal;
        } catch (IOException e) {
            closeQuietly(lockFile);
            throw new UncheckedIOException("Cannot open the outbound queue in " + directory + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(lockFile);
            throw e;
        }
    }

    private static FileLock tryLock(FileChannel lockFile) throws IOException {
        try {
            return lockFile.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            return null;
        }
    }

    @Override
    public synchronized List<Long> appendAll(String peerDomain, List<NewStanza> stanzas) {
        checkOpen();
        if (active.broken || active.size >= segmentBytes) {
            startSegment();
            compact();
        }
        List<byte[]> records = new ArrayList<>(stanzas.size());
        int total = 0;
        for (int i = 0; i < stanzas.size(); i++) {
            NewStanza stanza = stanzas.get(i);
            byte[] record = JournalRecords.encode(
                    new Append(lastId + 1 + i, stanza.queuedAt(), peerDomain, stanza.stanzaId(), stanza.xml()));
            records.add(record);
            total += record.length;
        }
        ByteBuffer batch = ByteBuffer.allocate(total);
        records.forEach(batch::put);
        long position = write(batch.flip());
        TreeMap<Long, Entry> queue = peers.computeIfAbsent(peerDomain, peer -> new TreeMap<>());
        List<Long> ids = new ArrayList<>(stanzas.size());
        for (int i = 0; i < stanzas.size(); i++) {
            long id = ++lastId;
            index(queue, new Entry(id, stanzas.get(i).queuedAt(), active, position, records.get(i).length));
            position += records.get(i).length;
            ids.add(id);
        }
        return ids;
    }

    @Override
    public synchronized List<QueuedStanza> after(String peerDomain, long afterId, int limit) {
        checkOpen();
        TreeMap<Long, Entry> queue = peers.get(peerDomain);
        if (queue == null) {
            return List.of();
        }
        List<QueuedStanza> rows = new ArrayList<>();
        for (Entry entry : queue.tailMap(afterId, false).values()) {
            if (rows.size() >= limit) {
                break;
            }
            Append append = (Append) read(entry, true);
            rows.add(new QueuedStanza(entry.id(), peerDomain, append.stanzaId(), append.xml(), entry.queuedAt()));
        }
        return rows;
    }

    @Override
    public synchronized void remove(String peerDomain, List<Long> ids) {
        checkOpen();
        TreeMap<Long, Entry> queue = peers.get(peerDomain);
        List<Long> present = queue == null ? List.of() : ids.stream().filter(queue::containsKey).toList();
        if (present.isEmpty()) {
            return;
        }
        write(ByteBuffer.wrap(JournalRecords.encode(new Remove(peerDomain, present))));
        present.forEach(id -> unindex(queue.remove(id)));
        if (queue.isEmpty()) {
            peers.remove(peerDomain);
        }
        deleteDeadOldestSegments();
    }

    @Override
    public synchronized Map<String, Long> depths() {
        checkOpen();
        Map<String, Long> depths = new TreeMap<>();
        peers.forEach((peer, queue) -> depths.put(peer, (long) queue.size()));
        return depths;
    }

    @Override
    public synchronized Map<String, Instant> oldestQueued() {
        checkOpen();
        Map<String, Instant> oldest = new LinkedHashMap<>();
        peers.forEach((peer, queue) -> queue.values().stream().map(Entry::queuedAt).min(Instant::compareTo)
                .ifPresent(at -> oldest.put(peer, at)));
        return oldest;
    }

    /** How many segment files there are; for tests. */
    synchronized int segmentCount() {
        return segments.size();
    }

    /** How many passes of the disk sync have completed; for tests. */
    long syncsCompleted() {
        return sync.completed();
    }

    /** Forces everything written to disk, stops the sync thread and releases the directory. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        sync.close(); // its last pass forces what is still dirty
        synchronized (this) {
            segments.values().forEach(segment -> closeQuietly(segment.channel));
            try {
                lock.release();
            } catch (IOException e) {
                log.debug("Releasing the lock of {}: {}", directory, e.toString());
            }
            closeQuietly(lockFile);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("The outbound queue in " + directory + " is closed");
        }
    }

    /** Writes the bytes at the end of the active segment; returns where they start. All or nothing. */
    private long write(ByteBuffer bytes) {
        long start = active.size;
        try {
            FileChannel channel = active.channel();
            long position = start;
            while (bytes.hasRemaining()) {
                position += channel.write(bytes, position);
            }
        } catch (IOException e) {
            active.broken = true; // the next write starts a new segment; a partial record here fails its checksum
            throw new UncheckedIOException("Cannot write the outbound queue in " + directory + ": " + e.getMessage(), e);
        }
        active.size = start + bytes.limit();
        active.dirty = true;
        return start;
    }

    private JournalRecords.Body read(Entry entry, boolean withStanza) {
        ByteBuffer record = ByteBuffer.allocate(entry.length());
        try {
            FileChannel channel = entry.segment().channel();
            long position = entry.position();
            while (record.hasRemaining()) {
                int read = channel.read(record, position);
                if (read < 0) {
                    throw new IOException("the file ends before the record");
                }
                position += read;
            }
            return JournalRecords.decode(record.flip(), withStanza);
        } catch (IOException | DamagedRecordException e) {
            throw new UncheckedIOException(new IOException("Cannot read stanza " + entry.id() + " of the outbound queue"
                    + " at byte " + entry.position() + " of " + entry.segment().path + ": " + e.getMessage(), e));
        }
    }

    private void index(TreeMap<Long, Entry> queue, Entry entry) {
        Entry replaced = queue.put(entry.id(), entry);
        if (replaced != null) {
            unindex(replaced); // a copy made by compact(): the later one is where it is now
        }
        entry.segment().live++;
        entry.segment().liveBytes += entry.length();
    }

    private static void unindex(Entry entry) {
        if (entry != null) {
            entry.segment().live--;
            entry.segment().liveBytes -= entry.length();
        }
    }

    private void startSegment() {
        long number = segments.isEmpty() ? 1 : segments.lastKey() + 1;
        Path path = directory.resolve(String.format("%020d%s", number, SUFFIX));
        try {
            FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            Segment segment = new Segment(number, path, channel, 0);
            segments.put(number, segment);
            Segment previous = active;
            active = segment;
            write(ByteBuffer.wrap(JournalRecords.MAGIC));
            if (previous != null) {
                previous.dirty = true; // forced once more by the syncer, then left alone
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + path + ": " + e.getMessage(), e);
        }
    }

    /** Frees space at the oldest end, copying a mostly acknowledged oldest segment's stanzas forward. */
    private void compact() {
        deleteDeadOldestSegments();
        while (segments.size() > 1) {
            Segment oldest = segments.firstEntry().getValue();
            if (oldest == active || oldest.liveBytes > segmentBytes / 4) {
                return;
            }
            copyForward(oldest);
            deleteDeadOldestSegments();
        }
    }

    private void copyForward(Segment oldest) {
        List<Entry> moving = new ArrayList<>();
        peers.values().forEach(queue -> queue.values().stream().filter(e -> e.segment() == oldest).forEach(moving::add));
        for (Entry entry : moving) {
            Append append = (Append) read(entry, true);
            long position = write(ByteBuffer.wrap(JournalRecords.encode(append)));
            index(peers.get(append.peer()), new Entry(entry.id(), entry.queuedAt(), active, position, entry.length()));
        }
        try {
            active.channel().force(false); // the copies are on disk before the originals go
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot force " + active.path + " to disk: " + e.getMessage(), e);
        }
        log.debug("Copied {} queued stanzas out of {}", moving.size(), oldest.path);
    }

    private void deleteDeadOldestSegments() {
        while (segments.size() > 1) {
            Segment oldest = segments.firstEntry().getValue();
            if (oldest == active || oldest.live > 0) {
                return;
            }
            segments.pollFirstEntry();
            closeQuietly(oldest.channel);
            try {
                Files.deleteIfExists(oldest.path);
            } catch (IOException e) {
                log.warn("Cannot delete {}, which holds nothing queued any more: {}", oldest.path, e.getMessage());
            }
        }
    }

    /** The channels written since the last pass, for {@link DiskSync} to force outside the journal's lock. */
    private synchronized List<FileChannel> takeDirtyChannels() {
        List<FileChannel> dirty = new ArrayList<>();
        for (Segment segment : segments.values()) {
            if (segment.dirty && segment.channel.isOpen()) {
                segment.dirty = false;
                dirty.add(segment.channel);
            }
        }
        return dirty;
    }

    private void replay() throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.filter(path -> path.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        }
        long replayed = 0;
        for (Path path : files) {
            String name = path.getFileName().toString();
            long number;
            try {
                number = Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
            } catch (NumberFormatException notOurs) {
                log.warn("Ignoring {}: not a segment of the outbound queue", path);
                continue;
            }
            FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            Segment segment = new Segment(number, path, channel, channel.size());
            segments.put(number, segment);
            replayed += replay(segment);
        }
        if (replayed > 0) {
            log.info("Outbound queue: {} records replayed from {} segments in {}", replayed, files.size(), directory);
        }
    }

    private long replay(Segment segment) throws IOException {
        JournalReader reader = new JournalReader(segment.channel, segment.path);
        long count = 0;
        JournalReader.Record record;
        while ((record = reader.next()) != null) {
            count++;
            if (record.body() instanceof Append append) {
                lastId = Math.max(lastId, append.id());
                index(peers.computeIfAbsent(append.peer(), peer -> new TreeMap<>()),
                        new Entry(append.id(), append.queuedAt(), segment, record.position(), record.length()));
            } else if (record.body() instanceof Remove remove) {
                TreeMap<Long, Entry> queue = peers.get(remove.peer());
                if (queue != null) {
                    remove.ids().forEach(id -> unindex(queue.remove(id)));
                    if (queue.isEmpty()) {
                        peers.remove(remove.peer());
                    }
                }
            }
        }
        return count;
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                log.debug("Closing a file of the outbound queue: {}", e.toString());
            }
        }
    }
}
