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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
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
 * written since its last pass to disk every second (as {@code H2Syncer} does for the H2 file), and the directory
 * once a segment was created or deleted, which bounds what a power cut can take. Opening replays every segment into
 * an index in memory (id, time, where the record is: the stanza itself stays on disk, so a long queue costs memory
 * per stanza, not per byte); a record cut short by a crash or damaged ends the replay of its segment with a warning.
 * After a start, records go to a new segment, so nothing is ever written after a damaged tail.
 *
 * <p>Space: segments are deleted from the oldest end, once a segment and every older one hold no queued stanza, so
 * that a remove record is kept as long as the append it cancels. When the newest segment is full, the oldest one's
 * queued stanzas are copied into the newest, forced to disk, and the oldest deleted, if it is mostly acknowledged
 * (what is still queued takes no more than a quarter of a segment) or if the files hold more than twice what is
 * queued plus two segments: a peer that stays down keeps neither every segment written since, nor more than about
 * twice its stanzas on disk.
 *
 * <p>Thread-safe; every method but {@link #close} is called on the storage executor. One process at a time: the
 * directory is locked.
 */
final class QueueJournal implements QueueStore, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QueueJournal.class);

    /** Small enough that copying a segment forward (under the journal's lock) is a short pause. */
    static final long DEFAULT_SEGMENT_BYTES = 16L << 20;

    /** Where a queued stanza's append record is. */
    private record Entry(long id, Instant queuedAt, JournalSegment segment, long position, int length) {}

    private final Path directory;
    private final long segmentBytes;
    private final FileChannel lockFile;
    private final FileLock lock;
    private final TreeMap<Long, JournalSegment> segments = new TreeMap<>();
    private final Map<String, TreeMap<Long, Entry>> peers = new HashMap<>();
    private final DiskSync sync;
    private JournalSegment active;
    private long lastId;
    /** Never reused, even for a segment whose creation failed and whose file could not be deleted. */
    private long nextSegmentNumber = 1;
    /** The oldest segment whose file could not be deleted, once warned about. */
    private long undeletableWarned = -1;
    private boolean closed;
    /** A segment was created or deleted since the sync thread last asked. */
    private boolean directoryChanged;
    /**
     * What the segments held after the last call that wrote: read without the lock, so that the console's storage
     * tile does not wait for a compaction (up to a segment copied and forced) to learn a size.
     */
    private volatile long diskBytes;

    private QueueJournal(Path directory, long segmentBytes, Duration syncInterval, FileChannel lockFile,
            FileLock lock) {
        this.directory = directory;
        this.segmentBytes = segmentBytes;
        this.lockFile = lockFile;
        this.lock = lock;
        this.sync = new DiskSync(this::takeWrittenChannels, this::takeDirectoryChanged, directory, syncInterval);
    }

    /** Opens (or creates) the journal in {@code directory} and replays it. */
    static QueueJournal open(Path directory) {
        return open(directory, DEFAULT_SEGMENT_BYTES);
    }

    static QueueJournal open(Path directory, long segmentBytes) {
        return open(directory, segmentBytes, DiskSync.INTERVAL);
    }

    /** {@code syncInterval}: how often the written files are forced to disk; tests lengthen it. */
    static QueueJournal open(Path directory, long segmentBytes, Duration syncInterval) {
        FileChannel lockFile = null;
        QueueJournal journal = null;
        try {
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory);
                forceParentDirectory(directory);
            }
            lockFile = FileChannel.open(directory.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = tryLock(lockFile);
            if (lock == null) {
                throw new IllegalStateException("The outbound queue in " + directory + " is in use by another node"
                        + " (the data directory of a running node)");
            }
            journal = new QueueJournal(directory, segmentBytes, syncInterval, lockFile, lock);
            synchronized (journal) {
                journal.replay();
                journal.startSegment();
                journal.compact();
                journal.countDiskBytes();
            }
            journal.sync.start();
            return journal;
        } catch (IOException | RuntimeException e) {
            if (journal != null) {
                journal.segments.values().forEach(JournalSegment::close);
            }
            closeQuietly(lockFile);
            if (e instanceof IOException io) {
                throw new UncheckedIOException("Cannot open the outbound queue in " + directory + ": " + io.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
    }

    /** A new journal directory's own name must reach the disk too, or its segments could not be found. */
    private static void forceParentDirectory(Path directory) {
        Path parent = directory.toAbsolutePath().getParent();
        if (parent != null) {
            DiskSync.forceDirectory(parent);
        }
    }

    private static FileLock tryLock(FileChannel lockFile) throws IOException {
        try {
            return lockFile.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            return null;
        }
    }

    /**
     * All or none: ids are taken before the write and never given again, and a failed write is cut off the file.
     *
     * @throws IllegalArgumentException if a stanza is too large for a record (nothing is written)
     */
    @Override
    public synchronized List<Long> appendAll(String peerDomain, List<NewStanza> stanzas) {
        checkOpen();
        try {
            return append(peerDomain, stanzas);
        } finally {
            countDiskBytes();
        }
    }

    private List<Long> append(String peerDomain, List<NewStanza> stanzas) {
        makeWritable();
        long firstId = lastId + 1;
        List<byte[]> records = new ArrayList<>(stanzas.size());
        long total = 0;
        for (int i = 0; i < stanzas.size(); i++) {
            NewStanza stanza = stanzas.get(i);
            byte[] record = JournalRecords.encode(
                    new Append(firstId + i, stanza.queuedAt(), peerDomain, stanza.stanzaId(), stanza.xml()));
            records.add(record);
            total += record.length;
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a group of " + total + " bytes");
        }
        lastId += stanzas.size();
        ByteBuffer batch = ByteBuffer.allocate((int) total);
        records.forEach(batch::put);
        long position = write(batch.flip());
        TreeMap<Long, Entry> queue = peers.computeIfAbsent(peerDomain, peer -> new TreeMap<>());
        List<Long> ids = new ArrayList<>(stanzas.size());
        for (int i = 0; i < stanzas.size(); i++) {
            index(queue, new Entry(firstId + i, stanzas.get(i).queuedAt(), active, position, records.get(i).length));
            position += records.get(i).length;
            ids.add(firstId + i);
        }
        return ids;
    }

    /**
     * A stanza whose record can no longer be read (damaged on disk) comes back with an empty stanza, which the
     * peer's queue logs and removes like any stored stanza that does not parse, instead of failing its read rounds
     * forever. Any other failure to read throws: the round is tried again.
     */
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
            Append append = readAppend(entry);
            rows.add(append == null ? new QueuedStanza(entry.id(), peerDomain, "", "", entry.queuedAt())
                    : new QueuedStanza(entry.id(), peerDomain, append.stanzaId(), append.xml(), entry.queuedAt()));
        }
        return rows;
    }

    /** The stanza's record, or null (logged) if it is damaged. */
    private Append readAppend(Entry entry) {
        try {
            if (JournalRecords.decode(entry.segment().read(entry.position(), entry.length()), true)
                    instanceof Append append && append.id() == entry.id()) {
                return append;
            }
            throw new DamagedRecordException("another record than the stanza's");
        } catch (DamagedRecordException damaged) {
            log.error("Queued stanza {} is lost: its record at byte {} of {} is damaged ({})", entry.id(),
                    entry.position(), entry.segment().path, damaged.getMessage());
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + entry.segment().path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void remove(String peerDomain, List<Long> ids) {
        checkOpen();
        TreeMap<Long, Entry> queue = peers.get(peerDomain);
        List<Long> present = queue == null ? List.of() : ids.stream().filter(queue::containsKey).toList();
        if (present.isEmpty()) {
            return;
        }
        try {
            makeWritable();
            write(ByteBuffer.wrap(JournalRecords.encode(new Remove(peerDomain, present))));
            unindex(peerDomain, present);
            deleteDeadOldestSegments();
        } finally {
            countDiskBytes();
        }
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
        peers.forEach((peer, queue) -> queue.values().stream().map(Entry::queuedAt).min(Comparator.naturalOrder())
                .ifPresent(at -> oldest.put(peer, at)));
        return oldest;
    }

    /** Forces what was written to disk now; the migration's deletes from the table wait for it. */
    synchronized void force() {
        checkOpen();
        try {
            active.channel().force(false);
            sync.forceDirectory(); // every time: the segment may be new, and only the migration from H2 calls this
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot force " + active.path + " to disk: " + e.getMessage(), e);
        }
    }

    @Override
    public OptionalLong diskBytes() {
        return OptionalLong.of(diskBytes);
    }

    private void countDiskBytes() {
        long total = 0;
        for (JournalSegment segment : segments.values()) {
            total += segment.size;
        }
        diskBytes = total;
    }

    /** How many segment files there are; for tests. */
    synchronized int segmentCount() {
        return segments.size();
    }

    /** How many passes of the disk sync have completed; for tests. */
    long syncsCompleted() {
        return sync.completed();
    }

    /** How many times the directory was forced; for tests. */
    long directoryForces() {
        return sync.directoryForces();
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
        sync.close(); // its last pass forces what is still unforced
        synchronized (this) {
            segments.values().forEach(JournalSegment::close);
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

    /** A new segment when the active one is full or broken. */
    private void makeWritable() {
        if (active.size >= segmentBytes && !active.broken) {
            startSegment();
            compact();
        }
        if (active.broken) {
            startSegment(); // a failed write, or a failed copy's undo, left it so; compaction waits for the next one
        }
    }

    private long write(ByteBuffer bytes) {
        try {
            return active.append(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write to " + active.path + ": " + e.getMessage(), e);
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

    /** Takes the peer's {@code ids} out of the index; ids it does not hold are ignored. */
    private void unindex(String peer, List<Long> ids) {
        TreeMap<Long, Entry> queue = peers.get(peer);
        if (queue != null) {
            ids.forEach(id -> unindex(queue.remove(id)));
            if (queue.isEmpty()) {
                peers.remove(peer);
            }
        }
    }

    private static void unindex(Entry entry) {
        if (entry != null) {
            entry.segment().live--;
            entry.segment().liveBytes -= entry.length();
        }
    }

    private void startSegment() {
        long number = Math.max(nextSegmentNumber, segments.isEmpty() ? 1 : segments.lastKey() + 1);
        nextSegmentNumber = number + 1;
        try {
            JournalSegment segment = JournalSegment.create(directory, number, lastId);
            directoryChanged = true;
            segments.put(number, segment);
            active = segment;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start segment " + number + " of the outbound queue in " + directory
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * Frees space at the oldest end (see the class comment), copying at most about a segment's worth per call, so
     * that a call holds the lock for a short while and the active segment stays near its size.
     */
    private void compact() {
        deleteDeadOldestSegments();
        long copyStart = active.size;
        while (segments.size() > 1 && active.size - copyStart < segmentBytes) {
            JournalSegment oldest = segments.firstEntry().getValue();
            if (oldest == active || !worthCopying(oldest) || !copyForward(oldest)) {
                return;
            }
            if (!deleteDeadOldestSegments()) {
                return;
            }
        }
    }

    private boolean worthCopying(JournalSegment oldest) {
        if (oldest.liveBytes <= segmentBytes / 4) {
            return true;
        }
        long total = 0;
        long live = 0;
        for (JournalSegment segment : segments.values()) {
            total += segment.size;
            live += segment.liveBytes;
        }
        return total > 2 * live + 2 * segmentBytes;
    }

    /**
     * Copies the oldest segment's queued stanzas into the active one and forces them to disk; only then does the
     * index point at the copies, so the originals stay until the copies are safe. A damaged record is not copied:
     * it is logged as lost (the peer's queue counts it until the next start). False if copying failed.
     */
    private boolean copyForward(JournalSegment oldest) {
        record Copy(TreeMap<Long, Entry> queue, Entry entry) {}
        List<Copy> copies = new ArrayList<>();
        List<Copy> damaged = new ArrayList<>();
        long start = active.size;
        try {
            for (TreeMap<Long, Entry> queue : peers.values()) {
                for (Entry entry : queue.values()) {
                    if (entry.segment() != oldest) {
                        continue;
                    }
                    ByteBuffer record;
                    try {
                        record = oldest.read(entry.position(), entry.length());
                        JournalRecords.decode(record.duplicate(), false);
                    } catch (DamagedRecordException e) {
                        log.error("Queued stanza {} is lost: its record at byte {} of {} is damaged ({})", entry.id(),
                                entry.position(), oldest.path, e.getMessage());
                        damaged.add(new Copy(queue, entry));
                        continue;
                    }
                    long position = active.append(record);
                    copies.add(new Copy(queue, new Entry(entry.id(), entry.queuedAt(), active, position,
                            entry.length())));
                }
            }
            active.channel().force(false);
            // The copies' segment may be new: its name goes to disk before the originals go, where the file system
            // allows it (a refusal was logged; the copies' data is forced either way).
            sync.forceDirectory();
        } catch (IOException e) {
            active.undoTo(start);
            log.warn("Cannot copy the stanzas still queued in {} forward ({}); it stays", oldest.path, e.getMessage());
            return false;
        }
        copies.forEach(copy -> index(copy.queue(), copy.entry()));
        damaged.forEach(lost -> unindex(lost.queue().remove(lost.entry().id())));
        peers.values().removeIf(TreeMap::isEmpty);
        log.debug("Copied {} queued stanzas out of {}", copies.size(), oldest.path);
        return true;
    }

    /** False if a file that should go could not be deleted (it stays, with every newer one). */
    private boolean deleteDeadOldestSegments() {
        while (segments.size() > 1) {
            JournalSegment oldest = segments.firstEntry().getValue();
            if (oldest == active || oldest.live > 0) {
                return true;
            }
            oldest.close();
            try {
                Files.deleteIfExists(oldest.path);
                directoryChanged = true;
            } catch (IOException e) {
                if (undeletableWarned != oldest.number) {
                    undeletableWarned = oldest.number;
                    log.warn("Cannot delete {}, which holds nothing queued any more ({}); it and every newer segment"
                            + " stay until it can be", oldest.path, e.getMessage());
                }
                return false;
            }
            segments.pollFirstEntry();
        }
        return true;
    }

    /** Whether a segment was created or deleted since the last call, for {@link DiskSync} to force the directory. */
    private synchronized boolean takeDirectoryChanged() {
        boolean changed = directoryChanged;
        directoryChanged = false;
        return changed;
    }

    /** The channels written since the last pass, for {@link DiskSync} to force outside the journal's lock. */
    private synchronized List<FileChannel> takeWrittenChannels() {
        List<FileChannel> written = new ArrayList<>();
        for (JournalSegment segment : segments.values()) {
            if (segment.dirty) {
                try {
                    written.add(segment.channel());
                    segment.dirty = false;
                } catch (IOException e) {
                    log.warn("Cannot open {} to force it to disk: {}", segment.path, e.getMessage());
                }
            }
        }
        return written;
    }

    private void replay() throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.sorted().toList(); // twenty digits: the names sort as the numbers do
        }
        long replayed = 0;
        for (Path path : files) {
            Optional<JournalSegment> opened = JournalSegment.open(path);
            if (opened.isEmpty()) {
                if (!path.getFileName().toString().equals("lock")) {
                    log.warn("Ignoring {}: not a segment of the outbound queue", path);
                }
                continue;
            }
            JournalSegment segment = opened.get();
            segments.put(segment.number, segment);
            replayed += replay(segment);
        }
        if (replayed > 0) {
            log.info("Outbound queue: {} records replayed from {} segments in {}", replayed, segments.size(), directory);
        }
    }

    private long replay(JournalSegment segment) throws IOException {
        JournalReader reader = new JournalReader(segment);
        long count = 0;
        JournalReader.Record record;
        while ((record = reader.next()) != null) {
            count++;
            if (record.body() instanceof Append append) {
                lastId = Math.max(lastId, append.id());
                index(peers.computeIfAbsent(append.peer(), peer -> new TreeMap<>()),
                        new Entry(append.id(), append.queuedAt(), segment, record.position(), record.length()));
            } else if (record.body() instanceof Remove remove) {
                unindex(remove.peer(), remove.ids());
            }
        }
        lastId = Math.max(lastId, reader.lastIdBefore());
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
