package org.skerry.federation.link;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import org.skerry.server.net.StanzaEncoder;
import org.skerry.server.xml.XmlStreamDecoder;
import org.skerry.server.xmpp.Namespaces;

/** The handlers every s2s channel has after TLS: keepalive timer, XML decoder, encoder, then the stream. */
final class S2sPipeline {
    private S2sPipeline() {}

    private static final StanzaEncoder ENCODER = new StanzaEncoder(Namespaces.SERVER);

    static void configure(ChannelPipeline pipeline, LinkSettings settings, ChannelHandler stream) {
        pipeline.addLast("idle", new IdleStateHandler(0, settings.keepaliveInterval().toMillis(), 0,
                TimeUnit.MILLISECONDS));
        pipeline.addLast("xml", new XmlStreamDecoder(settings.xmlLimits()));
        pipeline.addLast("encoder", ENCODER);
        pipeline.addLast("stream", stream);
    }
}
