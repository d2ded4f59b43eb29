package org.skerry.federation.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.skerry.federation.queue.JournalRecords.DamagedRecordException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one segment of {@link QueueJournal} from the start, record by record. A record that is cut short or damaged
 * is skipped with a warning that says where and how much, and reading goes on at the next whole record within
 * {@link #RESYNC_WINDOW} after it (laid out as a record, and its CRC32C matches): one damaged sector costs the
 * records in it, not the rest of the segment. A crash in the middle of a write leaves a record cut short at the end
 * of the newest segment, with nothing after it.
 */
final class JournalReader {
    private static final Logger log = LoggerFactory.getLogger(JournalReader.class);

    /** How far past damage to look for the next whole record; beyond it the rest of the segment is skipped. */
    static final int RESYNC_WINDOW = 4 << 20;
    /** Bytes read past the window, so that a record starting near its end can be checked for its layout. */
    private static final int LAYOUT_SLACK = 64 << 10;

    /** A whole record: what it says, and where its bytes are. */
    record Record(JournalRecords.Body body, long position, int length) {}

    private final JournalSegment segment;
    private final long size;
    private long position;
    private long lastIdBefore;

    JournalReader(JournalSegment segment) {
        this.segment = segment;
        this.size = segment.size;
    }

    /** The highest stanza id given before this segment was started, as its header says (0 if it cannot tell). */
    long lastIdBefore() {
        return lastIdBefore;
    }

    /** The next whole record, or null at the end of the segment. */
    Record next() throws IOException {
        if (position == 0 && !readHeader()) {
            return position < size ? resync("a damaged segment header", 0) : null;
        }
        if (position >= size) {
            return null;
        }
        if (size - position < JournalRecords.HEADER_BYTES) {
            return skipRest("a record cut short");
        }
        try {
            ByteBuffer header = segment.read(position, JournalRecords.HEADER_BYTES);
            int length = JournalRecords.HEADER_BYTES + JournalRecords.bodyLength(header);
            if (size - position < length) {
                return resync("a record cut short", 1);
            }
            Record record = new Record(JournalRecords.decode(segment.read(position, length), false), position, length);
            position += length;
            return record;
        } catch (DamagedRecordException damaged) {
            return resync(damaged.getMessage(), 1);
        }
    }

    private boolean readHeader() throws IOException {
        int length = JournalRecords.SEGMENT_HEADER_BYTES;
        position = Math.min(size, length);
        if (size < length) {
            return false;
        }
        try {
            ByteBuffer header = segment.read(0, length);
            if (!Arrays.equals(Arrays.copyOf(header.array(), JournalRecords.MAGIC.length), JournalRecords.MAGIC)) {
                return false;
            }
            lastIdBefore = header.getLong(JournalRecords.MAGIC.length);
            return true;
        } catch (DamagedRecordException cannotHappen) {
            return false;
        }
    }

    /** Looks for the next whole record from {@code firstOffset} bytes after {@link #position}, where damage is. */
    private Record resync(String reason, int firstOffset) throws IOException {
        int scanned = (int) Math.min(RESYNC_WINDOW, size - position);
        int readable = (int) Math.min((long) RESYNC_WINDOW + LAYOUT_SLACK, size - position);
        ByteBuffer window;
        try {
            window = segment.read(position, readable);
        } catch (DamagedRecordException cannotHappen) {
            return skipRest(reason);
        }
        for (int offset = firstOffset; offset < scanned; offset++) {
            Record record = recordAt(window, offset);
            if (record != null) {
                log.warn("{}: {} at byte {}; the {} bytes up to the next whole record, at byte {}, are skipped: the"
                        + " file was damaged there", segment.path, reason, position, offset, position + offset);
                position = record.position() + record.length();
                return record;
            }
        }
        return skipRest(reason + (scanned == RESYNC_WINDOW ? " and no whole record in the " + RESYNC_WINDOW
                + " bytes after it" : ""));
    }

    /** The whole record at {@code offset} of the window, or null. */
    private Record recordAt(ByteBuffer window, int offset) throws IOException {
        if (offset + JournalRecords.HEADER_BYTES > window.limit()) {
            return null;
        }
        int bodyLength = window.getInt(offset);
        if (bodyLength < 1 || bodyLength > JournalRecords.MAX_BODY_BYTES
                || bodyLength > size - position - offset - JournalRecords.HEADER_BYTES) {
            return null;
        }
        int length = JournalRecords.HEADER_BYTES + bodyLength;
        if (!JournalRecords.laidOutAsRecord(window, offset, length)) {
            return null;
        }
        try {
            ByteBuffer bytes = offset + length <= window.limit()
                    ? window.duplicate().position(offset).limit(offset + length).slice()
                    : segment.read(position + offset, length);
            return new Record(JournalRecords.decode(bytes, false), position + offset, length);
        } catch (DamagedRecordException notARecord) {
            return null;
        }
    }

    private Record skipRest(String reason) {
        log.warn("{}: {} at byte {}; the {} bytes from there to the end are skipped. At the end of the newest segment"
                + " this is a write that a crash cut short; anywhere else the file was damaged", segment.path, reason,
                position, size - position);
        position = size;
        return null;
    }
}
