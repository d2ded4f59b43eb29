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
 * One file of {@link QueueJournal}: {@code NNN.seg}, twenty digits, numbered in the order they were started. Not
 * thread-safe: the journal guards it, except {@link #force}, which its sync thread calls outside the journal's lock
 * on a channel taken under it.
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

    private JournalSegment(long number, Path path, FileChannel channel, long size) {
        this.number = number;
        this.path = path;
        this.channel = channel;
        this.size = size;
    }

    /** Creates segment {@code number}, its magic written; nothing is left behind if that fails. */
    static JournalSegment create(Path directory, long number) throws IOException {
        Path path = directory.resolve(String.format("%020d%s", number, SUFFIX));
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        JournalSegment segment = new JournalSegment(number, path, channel, 0);
        try {
            segment.writeAt(ByteBuffer.wrap(JournalRecords.MAGIC), 0);
        } catch (IOException e) {
            segment.close();
            Files.deleteIfExists(path);
            throw e;
        }
        segment.size = JournalRecords.MAGIC.length;
        segment.dirty = true;
        return segment;
    }

    /** An existing segment, to replay; empty if the file's name is not a segment's. */
    static Optional<JournalSegment> open(Path path) throws IOException {
        String name = path.getFileName().toString();
        if (!name.matches("\\d{20}" + SUFFIX.replace(".", "\\."))) {
            return Optional.empty();
        }
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        JournalSegment segment = new JournalSegment(Long.parseLong(name.substring(0, 20)), path, channel, channel.size());
        segment.dirty = true; // what a killed process wrote may not be on the disk yet
        return Optional.of(segment);
    }

    /**
     * Writes the bytes at the end; returns where they start. If the write fails, the file is cut back to where it
     * was, so that no part of it is replayed; if even that fails, the segment is broken.
     */
    long append(ByteBuffer bytes) throws IOException {
        long start = size;
        try {
            writeAt(bytes, start);
        } catch (IOException e) {
            undoTo(start);
            throw e;
        }
        size = start + bytes.limit();
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

    /** {@code length} bytes from {@code position}. */
    ByteBuffer read(long position, int length) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(length);
        FileChannel file = channel();
        long at = position;
        while (bytes.hasRemaining()) {
            int read = file.read(bytes, at);
            if (read < 0) {
                throw new IOException(path + " ends at byte " + at + ", inside a record");
            }
            at += read;
        }
        return bytes.flip();
    }

    /** The channel, opened again if an interrupted thread closed it (NIO closes a channel on interrupt). */
    FileChannel channel() throws IOException {
        if (!channel.isOpen()) {
            channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
        return channel;
    }

    void close() {
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("Closing {}: {}", path, e.toString());
        }
    }
}
