package org.skerry.server.xml;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.FastThreadLocal;
import org.skerry.server.xmpp.StreamError;

/**
 * The pipeline stage that turns the bytes of an XMPP stream into messages for the handlers after it:
 * a {@link StreamOpen} for each stream header, the {@link Element} of each stanza or negotiation element, and
 * {@link StreamClose#INSTANCE} for {@code </stream:stream>}. It sits after TLS, so it only ever sees plaintext.
 *
 * <p>On a {@link StreamError} it fires {@code exceptionCaught} with that error (the stream layer sends it and
 * closes) and then drops, and releases, every further byte. Other messages pass through untouched.
 *
 * <p>{@link #reset()} starts a new XML document (after STARTTLS and SASL success). It must be called on the
 * channel's event loop; called from within the {@code channelRead} of the element that triggers the restart,
 * bytes that arrived in the same read after that element are parsed as the start of the new document.
 */
public final class XmlStreamDecoder extends ChannelInboundHandlerAdapter {
    private static final int COPY_BYTES = 16 * 1024;
    /**
     * Direct (socket) buffers are copied through one array per event-loop thread, so idle connections need no copy
     * buffer of their own. It is taken while in use: a feed that runs inside another's callback on the same
     * thread gets a fresh array instead of overwriting bytes the outer feed may read again after a restart.
     */
    private static final FastThreadLocal<byte[]> COPY_BUFFER = new FastThreadLocal<>();

    private final XmlStreamParser parser;
    private ChannelHandlerContext context;
    private boolean failed;

    public XmlStreamDecoder(XmlLimits limits) {
        this.parser = new XmlStreamParser(limits, new Listener());
    }

    /** Starts a new XML document; see the class comment. */
    public void reset() {
        parser.reset();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf bytes)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (!failed) {
                feed(bytes);
            }
        } catch (StreamError error) {
            failed = true;
            ctx.fireExceptionCaught(error);
        } finally {
            bytes.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        parser.endOfInput();
        super.channelInactive(ctx);
    }

    private void feed(ByteBuf bytes) {
        if (bytes.hasArray()) {
            parser.feed(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), bytes.readableBytes());
            return;
        }
        byte[] copyBuffer = COPY_BUFFER.get();
        COPY_BUFFER.set(null);
        if (copyBuffer == null) {
            copyBuffer = new byte[COPY_BYTES];
        }
        try {
            copyThrough(bytes, copyBuffer);
        } finally {
            COPY_BUFFER.set(copyBuffer);
        }
    }

    private void copyThrough(ByteBuf bytes, byte[] copyBuffer) {
        int index = bytes.readerIndex();
        int end = bytes.writerIndex();
        while (index < end && !failed) {
            int length = Math.min(COPY_BYTES, end - index);
            bytes.getBytes(index, copyBuffer, 0, length);
            index += length;
            parser.feed(copyBuffer, 0, length);
        }
    }

    /** Forwards parser events down the pipeline, synchronously, so that a handler can reset in between. */
    private final class Listener implements XmlStreamParser.Listener {
        @Override
        public void streamOpened(Element header) {
            context.fireChannelRead(new StreamOpen(header));
        }

        @Override
        public void element(Element stanza) {
            context.fireChannelRead(stanza);
        }

        @Override
        public void streamClosed() {
            context.fireChannelRead(StreamClose.INSTANCE);
        }
    }
}
