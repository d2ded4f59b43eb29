package org.skerry.federation.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.skerry.federation.queue.JournalRecords.DamagedRecordException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one segment of {@link QueueJournal} from the start, record by record. A record that is cut short or damaged
 * is skipped with a warning that says where and how much, and reading goes on at the next whole record found after
 * it (a record is whole when its length fits and its CRC32C matches): one damaged sector costs the records in it,
 * not the rest of the segment. A crash in the middle of a write leaves a record cut short at the end of the newest
 * segment, with nothing after it.
 */
final class JournalReader {
    private static final Logger log = LoggerFactory.getLogger(JournalReader.class);

    /** A whole record: what it says, and where its bytes are. */
    record Record(JournalRecords.Body body, long position, int length) {}

    private final JournalSegment segment;
    private final long size;
    private long position;

    JournalReader(JournalSegment segment) {
        this.segment = segment;
        this.size = segment.size;
    }

    /** The next whole record, or null at the end of the segment. */
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
        ByteBuffer header = segment.read(position, JournalRecords.HEADER_BYTES);
        try {
            int length = JournalRecords.HEADER_BYTES + JournalRecords.bodyLength(header);
            if (size - position < length) {
                return resync("a record cut short");
            }
            Record record = new Record(JournalRecords.decode(segment.read(position, length), false), position, length);
            position += length;
            return record;
        } catch (DamagedRecordException damaged) {
            return resync(damaged.getMessage());
        }
    }

    private boolean startsWithMagic() throws IOException {
        int length = JournalRecords.MAGIC.length;
        if (size < length || !Arrays.equals(segment.read(0, length).array(), JournalRecords.MAGIC)) {
            log.warn("{} does not start as a segment of the outbound queue does; its {} bytes are ignored",
                    segment.path, size);
            position = size;
            return false;
        }
        position = length;
        return true;
    }

    /** Looks for the next whole record after the damaged one at {@link #position}. */
    private Record resync(String reason) throws IOException {
        long rest = size - position;
        if (rest > Integer.MAX_VALUE) {
            return skipRest(reason);
        }
        ByteBuffer bytes = segment.read(position, (int) rest);
        for (int offset = 1; offset + JournalRecords.HEADER_BYTES <= bytes.limit(); offset++) {
            int length = bytes.getInt(offset);
            if (length < 1 || length > bytes.limit() - offset - JournalRecords.HEADER_BYTES) {
                continue;
            }
            ByteBuffer candidate = bytes.duplicate().position(offset).limit(offset + JournalRecords.HEADER_BYTES + length)
                    .slice();
            try {
                JournalRecords.Body body = JournalRecords.decode(candidate, false);
                log.warn("{}: {} at byte {}; the {} bytes up to the next whole record, at byte {}, are skipped: the"
                        + " file was damaged there", segment.path, reason, position, offset, position + offset);
                Record record = new Record(body, position + offset, JournalRecords.HEADER_BYTES + length);
                position += offset + JournalRecords.HEADER_BYTES + length;
                return record;
            } catch (DamagedRecordException notARecord) {
                // keep looking
            }
        }
        return skipRest(reason);
    }

    private Record skipRest(String reason) {
        log.warn("{}: {} at byte {}; the {} bytes from there to the end are skipped. At the end of the newest segment"
                + " this is a write that a crash cut short; anywhere else the file was damaged", segment.path, reason,
                position, size - position);
        position = size;
        return null;
    }
}
