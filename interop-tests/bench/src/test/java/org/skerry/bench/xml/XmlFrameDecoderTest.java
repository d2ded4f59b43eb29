package org.skerry.bench.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class XmlFrameDecoderTest {
    private static final String SERVER_STREAM = "<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams' id='abc' from='bench.test' version='1.0'>"
            + "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>SCRAM-SHA-1</mechanism>"
            + "<mechanism>PLAIN</mechanism></mechanisms><register xmlns='http://jabber.org/features/iq-register'/>"
            + "</stream:features>"
            + " \n \n"
            + "<message from='a@b/c' to=\"me@b/r\" note='a > b / c' type='chat'><body>1:m:7:123 &lt;&amp;&gt; &#x263A;"
            + " caf\u00e9</body><x xmlns='y'><deep a='1'/></x></message>"
            + "<iq type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>"
            + "</stream:stream>";

    @Test
    void cutsAStreamIntoFramesWhateverTheReadBoundaries() {
        List<Object> whole = decode(SERVER_STREAM, SERVER_STREAM.length());
        assertFrames(whole);
        for (int chunk : new int[] {1, 2, 3, 7, 64}) {
            assertFrames(decode(SERVER_STREAM, chunk));
        }
    }

    private static void assertFrames(List<Object> frames) {
        assertThat(frames).hasSize(5);
        assertThat(frames.get(0)).isInstanceOf(StreamOpen.class);
        assertThat(((StreamOpen) frames.get(0)).header().attr("id")).isEqualTo("abc");

        XmlElement features = (XmlElement) frames.get(1);
        assertThat(features.localName()).isEqualTo("features");
        assertThat(features.child("mechanisms").children()).extracting(XmlElement::text).containsExactly("SCRAM-SHA-1", "PLAIN");
        assertThat(features.child("register")).isNotNull();

        XmlElement message = (XmlElement) frames.get(2);
        assertThat(message.attr("to")).isEqualTo("me@b/r");
        assertThat(message.attr("note")).isEqualTo("a > b / c");
        assertThat(message.childText("body")).isEqualTo("1:m:7:123 <&> \u263a caf\u00e9");
        assertThat(message.child("x").child("deep").attr("a")).isEqualTo("1");

        XmlElement iq = (XmlElement) frames.get(3);
        assertThat(iq.child("ping")).isNotNull();
        assertThat(frames.get(4)).isEqualTo(StreamClose.INSTANCE);
    }

    @Test
    void aResetStartsANewStreamAsAfterSaslSuccess() {
        XmlFrameDecoder decoder = new XmlFrameDecoder(1 << 16);
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        channel.writeInbound(bytes("<stream:stream id='1'><success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>"));
        assertThat((Object) channel.readInbound()).isInstanceOf(StreamOpen.class);
        assertThat(((XmlElement) channel.readInbound()).localName()).isEqualTo("success");
        decoder.reset();
        channel.writeInbound(bytes("<?xml version='1.0'?><stream:stream id='2'><stream:features><bind/></stream:features>"));
        assertThat(((StreamOpen) channel.readInbound()).header().attr("id")).isEqualTo("2");
        assertThat(((XmlElement) channel.readInbound()).child("bind")).isNotNull();
        channel.finishAndReleaseAll();
    }

    @Test
    void refusesAnElementLongerThanTheLimit() {
        EmbeddedChannel channel = new EmbeddedChannel(new XmlFrameDecoder(100));
        channel.writeInbound(bytes("<stream:stream>"));
        assertThatThrownBy(() -> channel.writeInbound(bytes("<message><body>" + "x".repeat(200) + "</body></message>")))
                .isInstanceOf(TooLongFrameException.class);
        channel.finishAndReleaseAll();
    }

    private static List<Object> decode(String text, int chunk) {
        EmbeddedChannel channel = new EmbeddedChannel(new XmlFrameDecoder(1 << 16));
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int from = 0; from < bytes.length; from += chunk) {
            channel.writeInbound(Unpooled.wrappedBuffer(bytes, from, Math.min(chunk, bytes.length - from)));
        }
        List<Object> frames = new ArrayList<>();
        for (Object frame; (frame = channel.readInbound()) != null; ) {
            frames.add(frame);
        }
        channel.finishAndReleaseAll();
        return frames;
    }

    private static io.netty.buffer.ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }
}
