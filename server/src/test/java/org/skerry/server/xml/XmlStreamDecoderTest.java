package org.skerry.server.xml;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.skerry.server.xmpp.Namespaces;
import org.skerry.server.xmpp.StreamError;
import org.skerry.server.xmpp.StreamError.Condition;

class XmlStreamDecoderTest {
    private static final String HEADER = RecordingParser.HEADER;

    /** Stands in for the stream layer: records what reaches it and can restart the stream on an element. */
    private static final class StreamLayer extends ChannelInboundHandlerAdapter {
        final List<Object> messages = new ArrayList<>();
        final List<Throwable> errors = new ArrayList<>();
        XmlStreamDecoder resetOn;
        String resetElement;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            messages.add(msg);
            if (msg instanceof Element element && element.name().equals(resetElement)) {
                resetOn.reset();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            errors.add(cause);
        }
    }

    private static ByteBuf heap(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }

    private static ByteBuf direct(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return Unpooled.directBuffer(bytes.length).writeBytes(bytes);
    }

    @Test
    void firesStreamOpenStanzasAndCloseAndReleasesBuffers() {
        StreamLayer layer = new StreamLayer();
        EmbeddedChannel channel = new EmbeddedChannel(new XmlStreamDecoder(XmlLimits.defaults()), layer);
        ByteBuf first = heap(HEADER + "<message to='a@b'><body>hi");
        // a sliced heap buffer with a non-zero array offset and reader index
        ByteBuf second = heap("xx </body></message> <presence/>").slice(2, 30);
        ByteBuf third = direct("<iq id='1' type='get'/></stream:stream>");

        channel.writeInbound(first, second, third);

        assertThat(layer.errors).isEmpty();
        assertThat(layer.messages).hasSize(5);
        StreamOpen open = (StreamOpen) layer.messages.get(0);
        assertThat(open.defaultNamespace()).isEqualTo(Namespaces.CLIENT);
        assertThat(open.header().attr("to")).isEqualTo("example.org");
        assertThat(((Element) layer.messages.get(1)).childText("body")).isEqualTo("hi ");
        assertThat(((Element) layer.messages.get(2)).name()).isEqualTo("presence");
        assertThat(((Element) layer.messages.get(3)).is("iq", Namespaces.CLIENT)).isTrue();
        assertThat(layer.messages.get(4)).isSameAs(StreamClose.INSTANCE);
        assertThat(first.refCnt()).isZero();
        assertThat(second.refCnt()).isZero();
        assertThat(third.refCnt()).isZero();
        channel.finishAndReleaseAll();
    }

    @Test
    void streamErrorIsFiredOnceAndLaterBytesAreDroppedAndReleased() {
        StreamLayer layer = new StreamLayer();
        EmbeddedChannel channel = new EmbeddedChannel(new XmlStreamDecoder(XmlLimits.defaults()), layer);
        ByteBuf hostile = heap(HEADER + "<presence/><message><!-- no --></message>");
        ByteBuf later = direct("<presence/>");
        ByteBuf evenLater = heap("<presence/>");

        channel.writeInbound(hostile, later, evenLater);

        assertThat(layer.errors).hasSize(1);
        assertThat(((StreamError) layer.errors.get(0)).condition()).isEqualTo(Condition.RESTRICTED_XML);
        assertThat(layer.messages).hasSize(2); // the header and the first presence, nothing after the error
        assertThat(hostile.refCnt()).isZero();
        assertThat(later.refCnt()).isZero();
        assertThat(evenLater.refCnt()).isZero();
        channel.finishAndReleaseAll();
    }

    @Test
    void resetFromTheStreamLayerRestartsMidBuffer() {
        StreamLayer layer = new StreamLayer();
        XmlStreamDecoder decoder = new XmlStreamDecoder(XmlLimits.defaults());
        layer.resetOn = decoder;
        layer.resetElement = "success";
        EmbeddedChannel channel = new EmbeddedChannel(decoder, layer);

        // everything in one read, direct and then heap, so the restart falls inside a buffer
        channel.writeInbound(direct(HEADER + "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/><success xmlns="
            + "'urn:ietf:params:xml:ns:xmpp-sasl'/>" + HEADER + "<iq id='bind'/>"));
        channel.writeInbound(heap("<presence/>"));

        assertThat(layer.errors).isEmpty();
        assertThat(layer.messages).hasSize(6);
        assertThat(layer.messages.get(0)).isInstanceOf(StreamOpen.class);
        assertThat(layer.messages.get(3)).isInstanceOf(StreamOpen.class);
        assertThat(((Element) layer.messages.get(4)).attr("id")).isEqualTo("bind");
        assertThat(((Element) layer.messages.get(5)).name()).isEqualTo("presence");
        channel.finishAndReleaseAll();
    }

    @Test
    void resetBetweenReads() {
        StreamLayer layer = new StreamLayer();
        XmlStreamDecoder decoder = new XmlStreamDecoder(XmlLimits.defaults());
        EmbeddedChannel channel = new EmbeddedChannel(decoder, layer);

        channel.writeInbound(heap(HEADER + "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"));
        decoder.reset();
        channel.writeInbound(heap(HEADER));

        assertThat(layer.errors).isEmpty();
        assertThat(layer.messages).hasSize(3);
        assertThat(layer.messages.get(2)).isInstanceOf(StreamOpen.class);
        channel.finishAndReleaseAll();
    }

    @Test
    void otherMessagesPassThrough() {
        StreamLayer layer = new StreamLayer();
        EmbeddedChannel channel = new EmbeddedChannel(new XmlStreamDecoder(XmlLimits.defaults()), layer);
        Object notBytes = "an event";

        channel.writeInbound(notBytes);

        assertThat(layer.messages).containsExactly(notBytes);
        channel.finishAndReleaseAll();
    }
}
