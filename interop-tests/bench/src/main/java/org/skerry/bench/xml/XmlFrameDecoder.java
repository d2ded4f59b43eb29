package org.skerry.bench.xml;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.util.List;

/**
 * Cuts an XMPP stream into a {@link StreamOpen}, one {@link XmlElement} per top-level element (stanzas, features,
 * SASL and TLS replies, stream errors) and a {@link StreamClose}. Whitespace keepalives and XML declarations between
 * elements are skipped.
 *
 * <p>Only the bytes of the element in progress are kept, and scanning resumes where the last read ended, so an
 * element split over any number of reads is scanned once. At most one frame is produced per {@code decode} call, so
 * the handler behind sees it (and can {@link #reset} for a new stream after STARTTLS or SASL) before further bytes
 * are decoded.
 */
public final class XmlFrameDecoder extends ByteToMessageDecoder {
    private final int maxElementBytes;
    private boolean inStream;
    /** Bytes past readerIndex already scanned; everything before readerIndex is consumed. */
    private int scanned;
    /** Elements open inside the top-level element in progress. */
    private int depth;
    private boolean inMarkup;
    private int markupStart;
    private byte quote;

    public XmlFrameDecoder(int maxElementBytes) { this.maxElementBytes = maxElementBytes; }

    /** Forgets the stream: the next bytes start a new one (after STARTTLS, after SASL success). */
    public void reset() {
        inStream = false;
        scanned = 0;
        depth = 0;
        inMarkup = false;
        quote = 0;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws TooLongFrameException {
        while (scanned < in.readableBytes()) {
            byte b = in.getByte(in.readerIndex() + scanned);
            if (!inMarkup) {
                if (b == '<') {
                    inMarkup = true;
                    markupStart = scanned;
                } else if (depth == 0) { // whitespace (or stray text) between top-level elements: drop it
                    in.skipBytes(1);
                    continue;
                }
            } else if (quote != 0) {
                if (b == quote) {
                    quote = 0;
                }
            } else if (b == '\'' || b == '"') {
                quote = b;
            } else if (b == '>') {
                inMarkup = false;
                Object frame = markupEnded(in);
                if (frame != null) {
                    out.add(frame);
                    return;
                }
                if (scanned == 0) { // a declaration between elements was consumed
                    continue;
                }
            }
            if (++scanned > maxElementBytes) {
                in.skipBytes(in.readableBytes()); // the connection ends; nothing of it is decoded again
                reset();
                throw new TooLongFrameException("an element longer than " + maxElementBytes + " bytes");
            }
        }
    }

    /**
     * The markup from markupStart to scanned (its '>') is complete. Returns the frame it completes (consumed from
     * {@code in}), or null. Between top-level elements markupStart is 0, as whitespace before it was dropped.
     */
    private Object markupEnded(ByteBuf in) {
        int base = in.readerIndex();
        byte kind = in.getByte(base + markupStart + 1);
        if (kind == '?' || kind == '!') { // an XML declaration (or a comment): nothing to nest
            if (depth == 0) {
                consume(in, scanned + 1);
            }
            return null;
        }
        if (kind == '/') {
            if (depth == 0) { // at this level only the stream's own end tag closes
                consume(in, scanned + 1);
                inStream = false;
                return StreamClose.INSTANCE;
            }
            return --depth == 0 ? element(in) : null;
        }
        if (!inStream) {
            byte[] tag = take(in, scanned + 1);
            inStream = true;
            return new StreamOpen(XmlParser.startTag(tag, 0, tag.length));
        }
        if (in.getByte(base + scanned - 1) == '/') { // self-closing
            return depth == 0 ? element(in) : null;
        }
        depth++;
        return null;
    }

    private XmlElement element(ByteBuf in) {
        byte[] bytes = take(in, scanned + 1);
        return XmlParser.element(bytes, 0, bytes.length);
    }

    private byte[] take(ByteBuf in, int length) {
        byte[] bytes = new byte[length];
        in.readBytes(bytes);
        scanned = 0;
        return bytes;
    }

    private void consume(ByteBuf in, int length) {
        in.skipBytes(length);
        scanned = 0;
    }
}
