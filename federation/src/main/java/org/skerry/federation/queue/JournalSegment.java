package org.skerry.federation.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One file of {@link QueueJournal}: {@code NNN.seg}, twenty digits, numbered in the order they were started. It
 * starts with {@link JournalRecords#MAGIC} and the highest stanza id given before it, so that ids never go back
 * after a restart, even once every segment that held them was deleted. Not thread-safe: the journal guards it; its
 * sync thread forces a channel taken under the journal's lock outside it.
 */
final class JournalSegment {
    private static final Logger log = LoggerFactory.getLogger(JournalSegment.class);
    private static final String SUFFIX = ".seg";

    final long number;
    final Path path;
    private FileChannel channel;
    /** Bytes written: where the next record goes. */
    long size;
    /** Append records of stanzas still queued, and their bytes. */
    int live;
    long liveBytes;
    /** Written since the sync thread last took it. */
    boolean dirty;
    /** A write failed and could not be undone: nothing more is written here. */
    boolean broken;
    private boolean closed;

    private JournalSegment(long number, Path path, FileChannel channel, long size) {
        this.number = number;
        this.path = path;
        this.channel = channel;
        this.size = size;
    }

    /** Creates segment {@code number}, its header written; nothing is left behind if that fails. */
    static JournalSegment create(Path directory, long number, long lastId) throws IOException {
        Path path = directory.resolve(String.format("%020d%s", number, SUFFIX));
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        JournalSegment segment = new JournalSegment(number, path, channel, 0);
        try {
            segment.writeAt(JournalRecords.segmentHeader(lastId), 0);
        } catch (IOException e) {
            segment.close();
            try {
                Files.deleteIfExists(path);
            } catch (IOException deleteFailed) {
                e.addSuppressed(deleteFailed);
            }
            throw e;
        }
        segment.size = JournalRecords.SEGMENT_HEADER_BYTES;
        segment.dirty = true;
        return segment;
    }

    /** An existing segment, to replay; empty if the file's name is not a segment's. */
    static Optional<JournalSegment> open(Path path) throws IOException {
        String name = path.getFileName().toString();
        long number;
        try {
            number = name.matches("\\d{20}\\.seg") ? Long.parseLong(name.substring(0, 20)) : -1;
        } catch (NumberFormatException tooLarge) {
            number = -1;
        }
        if (number < 0) {
            return Optional.empty();
        }
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        JournalSegment segment = new JournalSegment(number, path, channel, channel.size());
        segment.dirty = true; // what a killed process wrote may not be on the disk yet
        return Optional.of(segment);
    }

    /**
     * Writes the bytes at the end; returns where they start. If the write fails, the file is cut back to where it
     * was, so that no part of it is replayed; if even that fails, the segment is broken.
     */
    long append(ByteBuffer bytes) throws IOException {
        long start = size;
        int length = bytes.remaining();
        try {
            writeAt(bytes, start);
        } catch (IOException e) {
            undoTo(start);
            throw e;
        }
        size = start + length;
        dirty = true;
        return start;
    }

    /** Cuts the file back to {@code length} bytes after a failed write. */
    void undoTo(long length) {
        try {
            channel().truncate(length);
            size = length;
        } catch (IOException e) {
            broken = true;
            log.warn("Cannot cut {} back after a failed write ({}); its end will be skipped as damaged", path,
                    e.getMessage());
        }
    }

    private void writeAt(ByteBuffer bytes, long position) throws IOException {
        FileChannel file = channel();
        long at = position;
        while (bytes.hasRemaining()) {
            at += file.write(bytes, at);
        }
    }

    /**
     * {@code length} bytes from {@code position}.
     *
     * @throws JournalRecords.DamagedRecordException if the file ends before them (what was there is gone)
     */
    ByteBuffer read(long position, int length) throws IOException, JournalRecords.DamagedRecordException {
        ByteBuffer bytes = ByteBuffer.allocate(length);
        FileChannel file = channel();
        long at = position;
        while (bytes.hasRemaining()) {
            int read = file.read(bytes, at);
            if (read < 0) {
                throw new JournalRecords.DamagedRecordException(path + " ends at byte " + at + ", inside a record");
            }
            at += read;
        }
        return bytes.flip();
    }

    /**
     * The channel, opened again if an interrupted thread closed it (NIO closes a channel on interrupt); then the
     * segment counts as written, since what went through the closed channel may not have been forced.
     */
    FileChannel channel() throws IOException {
        if (closed) {
            throw new java.nio.channels.ClosedChannelException();
        }
        if (!channel.isOpen()) {
            channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            dirty = true;
        }
        return channel;
    }

    void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("Closing {}: {}", path, e.toString());
        }
    }
}
