package org.skerry.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Namespaces;

/** Whether a drained backlog reads on while the channel cannot take more of our writes. */
class InboundBacklogTest {
    @Test
    void aClientsBacklogStopsReadingWhileItsChannelIsFull() {
        EmbeddedChannel channel = fullChannel();
        List<Element> processed = new ArrayList<>();
        backlog(channel, processed, true).add(new Element("message", Namespaces.CLIENT));

        assertThat(processed).hasSize(1);
        assertThat(channel.config().isAutoRead()).isFalse();
    }

    @Test
    void aServerLinksBacklogReadsOnWhileItsChannelIsFullSoThatTwoServersNeverWaitForEachOther() {
        EmbeddedChannel channel = fullChannel();
        List<Element> processed = new ArrayList<>();
        backlog(channel, processed, false).add(new Element("message", Namespaces.SERVER));

        assertThat(processed).hasSize(1);
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    /** A channel holding more unflushed bytes than its high water mark: not writable. */
    private static EmbeddedChannel fullChannel() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1, 2));
        channel.write(Unpooled.wrappedBuffer(new byte[16]));
        assertThat(channel.isWritable()).isFalse();
        return channel;
    }

    private static InboundBacklog backlog(EmbeddedChannel channel, List<Element> processed, boolean readOnlyWhileWritable) {
        return new InboundBacklog(channel, new RateLimiter(100, 100), () -> false, processed::add, error -> {}, () -> {},
                readOnlyWhileWritable);
    }
}
