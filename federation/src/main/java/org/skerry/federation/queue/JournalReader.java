package org.skerry.federation.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import org.skerry.federation.queue.JournalRecords.DamagedRecordException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one segment of {@link QueueJournal} from the start, record by record. The first record that is cut short
 * or damaged ends the segment, with a warning that says where and how many bytes are skipped: a crash in the
 * middle of a write leaves exactly that at the end of the newest segment.
 */
final class JournalReader {
    private static final Logger log = LoggerFactory.getLogger(JournalReader.class);

    /** A whole record: what it says, and where its bytes are. */
    record Record(JournalRecords.Body body, long position, int length) {}

    private final FileChannel channel;
    private final Path path;
    private final long size;
    private long position;

    JournalReader(FileChannel channel, Path path) throws IOException {
        this.channel = channel;
        this.path = path;
        this.size = channel.size();
    }

    /** The next whole record, or null at the end of the segment or at the first one that cannot be read. */
    Record next() throws IOException {
        if (position == 0 && !startsWithMagic()) {
            return null;
        }
        if (position >= size) {
            return null;
        }
        if (size - position < JournalRecords.HEADER_BYTES) {
            return skipRest("a record cut short");
        }
        ByteBuffer header = readAt(position, JournalRecords.HEADER_BYTES);
        try {
            int length = JournalRecords.HEADER_BYTES + JournalRecords.bodyLength(header);
            if (size - position < length) {
                return skipRest("a record cut short");
            }
            Record record = new Record(JournalRecords.decode(readAt(position, length), false), position, length);
            position += length;
            return record;
        } catch (DamagedRecordException damaged) {
            return skipRest(damaged.getMessage());
        }
    }

    private boolean startsWithMagic() throws IOException {
        int length = JournalRecords.MAGIC.length;
        if (size < length || !Arrays.equals(readAt(0, length).array(), JournalRecords.MAGIC)) {
            log.warn("{} does not start as a segment of the outbound queue does; its {} bytes are ignored", path, size);
            position = size;
            return false;
        }
        position = length;
        return true;
    }

    private Record skipRest(String reason) {
        log.warn("{}: {} at byte {}; the {} bytes from there to the end are skipped. At the end of the newest segment"
                + " this is a write that a crash cut short; anywhere else the file was damaged", path, reason, position,
                size - position);
        position = size;
        return null;
    }

    private ByteBuffer readAt(long at, int length) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(length);
        long from = at;
        while (bytes.hasRemaining()) {
            int read = channel.read(bytes, from);
            if (read < 0) {
                throw new IOException(path + " ended while being read");
            }
            from += read;
        }
        return bytes.flip();
    }
}
