package org.skerry.federation.queue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The bytes of {@link QueueJournal}'s files. A segment starts with {@link #MAGIC} and a long, the highest stanza id
 * given before the segment was started; then records, each
 * {@code int length, int CRC32C(body), body}, the body an {@link Append} ({@code 1, long id, long seconds, int nanos,
 * peer, stanza-id, stanza}) or a {@link Remove} ({@code 2, peer, int count, long ids}); strings are an unsigned
 * short or (the stanza) an int byte count, then UTF-8. The checksum is what tells a record cut short by a crash, or
 * damaged on disk, from a whole one.
 */
final class JournalRecords {
    /** "SKQJ" and the format version. */
    static final byte[] MAGIC = {'S', 'K', 'Q', 'J', 0, 0, 0, 1};
    static final int SEGMENT_HEADER_BYTES = MAGIC.length + 8;
    /** A record's header: its body's length and checksum. */
    static final int HEADER_BYTES = 8;
    /** Far above any stanza a node accepts ({@code max_stanza_size}); a larger length is damage, not a record. */
    static final int MAX_BODY_BYTES = 64 << 20;

    private static final byte APPEND = 1;
    private static final byte REMOVE = 2;

    /** A stanza queued for {@code peer}. */
    record Append(long id, Instant queuedAt, String peer, String stanzaId, String xml) implements Body {}

    /** Stanzas of {@code peer} acknowledged or bounced. */
    record Remove(String peer, List<Long> ids) implements Body {}

    sealed interface Body permits Append, Remove {}

    /** A record that cannot be read: cut short, or not what was written. */
    static final class DamagedRecordException extends Exception {
        DamagedRecordException(String reason) {
            super(reason, null, false, false);
        }
    }

    private JournalRecords() {}

    static ByteBuffer segmentHeader(long lastId) {
        return ByteBuffer.allocate(SEGMENT_HEADER_BYTES).put(MAGIC).putLong(lastId).flip();
    }

    /**
     * Whether the bytes at {@code offset} of {@code bytes} are laid out as a whole record of {@code length} bytes
     * (header included) is, checked without the checksum: cheap enough to try at every byte after damage. The
     * record's fields up to the stanza must lie within {@code bytes}; false otherwise.
     */
    static boolean laidOutAsRecord(ByteBuffer bytes, int offset, int length) {
        int body = offset + HEADER_BYTES;
        int end = offset + length;
        if (body >= bytes.limit()) {
            return false;
        }
        byte type = bytes.get(body);
        int at = body + 1;
        if (type == APPEND) {
            at += 8 + 8 + 4;
            at = skipShortString(bytes, at);
            at = at < 0 ? -1 : skipShortString(bytes, at);
            if (at < 0 || at + 4 > bytes.limit()) {
                return false;
            }
            return at + 4 + (long) bytes.getInt(at) == end && bytes.getInt(body + 17) >= 0
                    && bytes.getInt(body + 17) < 1_000_000_000;
        }
        if (type == REMOVE) {
            at = skipShortString(bytes, at);
            if (at < 0 || at + 4 > bytes.limit()) {
                return false;
            }
            return at + 4 + 8L * bytes.getInt(at) == end && bytes.getInt(at) >= 0;
        }
        return false;
    }

    /** Where the field after the short string at {@code at} starts, or -1 if its length is not within the bytes. */
    private static int skipShortString(ByteBuffer bytes, int at) {
        if (at + 2 > bytes.limit()) {
            return -1;
        }
        return at + 2 + Short.toUnsignedInt(bytes.getShort(at));
    }

    /**
     * The whole record, header included.
     *
     * @throws IllegalArgumentException if it would be larger than a record may be (it could not be read back)
     */
    static byte[] encode(Body body) {
        byte[] encoded = body instanceof Append append ? encodeAppend(append) : encodeRemove((Remove) body);
        if (encoded.length > MAX_BODY_BYTES) {
            throw new IllegalArgumentException("a queue record of " + encoded.length + " bytes (at most "
                    + MAX_BODY_BYTES + ")");
        }
        ByteBuffer record = ByteBuffer.allocate(HEADER_BYTES + encoded.length);
        record.putInt(encoded.length).putInt(checksum(encoded, 0, encoded.length)).put(encoded);
        return record.array();
    }

    private static byte[] encodeAppend(Append append) {
        byte[] peer = shortString(append.peer());
        byte[] stanzaId = shortString(append.stanzaId());
        byte[] xml = append.xml().getBytes(StandardCharsets.UTF_8);
        ByteBuffer body = ByteBuffer.allocate(1 + 8 + 8 + 4 + 2 + peer.length + 2 + stanzaId.length + 4 + xml.length);
        body.put(APPEND).putLong(append.id()).putLong(append.queuedAt().getEpochSecond())
                .putInt(append.queuedAt().getNano());
        body.putShort((short) peer.length).put(peer).putShort((short) stanzaId.length).put(stanzaId);
        body.putInt(xml.length).put(xml);
        return body.array();
    }

    private static byte[] encodeRemove(Remove remove) {
        byte[] peer = shortString(remove.peer());
        ByteBuffer body = ByteBuffer.allocate(1 + 2 + peer.length + 4 + 8 * remove.ids().size());
        body.put(REMOVE).putShort((short) peer.length).put(peer).putInt(remove.ids().size());
        remove.ids().forEach(body::putLong);
        return body.array();
    }

    private static byte[] shortString(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0xFFFF) {
            throw new IllegalArgumentException("longer than 65535 bytes: " + text.substring(0, 64) + "…");
        }
        return bytes;
    }

    /**
     * The body length a record header announces.
     *
     * @throws DamagedRecordException if it cannot be a record's
     */
    static int bodyLength(ByteBuffer header) throws DamagedRecordException {
        int length = header.getInt(header.position());
        if (length < 1 || length > MAX_BODY_BYTES) {
            throw new DamagedRecordException("a record length of " + length + " bytes");
        }
        return length;
    }

    /**
     * Decodes a whole record, header included, checking its checksum. With {@code withStanza} false, an
     * {@link Append}'s stanza is skipped and comes back empty (replay keeps only where the record is).
     */
    static Body decode(ByteBuffer record, boolean withStanza) throws DamagedRecordException {
        int length = bodyLength(record);
        if (record.remaining() != HEADER_BYTES + length) {
            throw new DamagedRecordException("a record cut short");
        }
        int expected = record.getInt(record.position() + 4);
        ByteBuffer body = record.duplicate().position(record.position() + HEADER_BYTES);
        if (checksum(body) != expected) {
            throw new DamagedRecordException("a record whose checksum does not match");
        }
        try {
            return switch (body.get()) {
                case APPEND -> new Append(body.getLong(), Instant.ofEpochSecond(body.getLong(), body.getInt()),
                        shortString(body), shortString(body), stanza(body, withStanza));
                case REMOVE -> {
                    String peer = shortString(body);
                    int count = body.getInt();
                    if (count < 0 || count > body.remaining() / 8) {
                        throw new DamagedRecordException("a removal of " + count + " stanzas");
                    }
                    List<Long> ids = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        ids.add(body.getLong());
                    }
                    yield new Remove(peer, ids);
                }
                default -> throw new DamagedRecordException("a record of an unknown type");
            };
        } catch (RuntimeException wrong) { // BufferUnderflowException, DateTimeException: not what was written
            throw new DamagedRecordException("a record that does not decode: " + wrong);
        }
    }

    private static String shortString(ByteBuffer body) {
        return string(body, Short.toUnsignedInt(body.getShort()));
    }

    private static String stanza(ByteBuffer body, boolean withStanza) {
        int length = body.getInt();
        if (!withStanza) {
            body.position(body.position() + length); // throws if past the end, like a read would
            return "";
        }
        return string(body, length);
    }

    private static String string(ByteBuffer body, int length) {
        if (length > body.remaining()) {
            throw new java.nio.BufferUnderflowException();
        }
        String text = new String(body.array(), body.arrayOffset() + body.position(), length, StandardCharsets.UTF_8);
        body.position(body.position() + length);
        return text;
    }

    private static int checksum(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    private static int checksum(ByteBuffer body) {
        CRC32C crc = new CRC32C();
        crc.update(body.duplicate());
        return (int) crc.getValue();
    }
}
