package org.skerry.server.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.nio.charset.StandardCharsets;
import org.skerry.server.xml.Element;
import org.skerry.server.xml.XmlWriter;

/**
 * Writes elements as children of a stream whose default namespace is {@code defaultNamespace} (so stanzas carry
 * no redundant xmlns), and strings (headers, closing tag, whitespace) as they are.
 */
@ChannelHandler.Sharable
public final class StanzaEncoder extends MessageToByteEncoder<Object> {
    private final String defaultNamespace;

    public StanzaEncoder(String defaultNamespace) {
        super(Object.class);
        this.defaultNamespace = defaultNamespace;
    }

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof Element || msg instanceof String;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, ByteBuf out) {
        String text;
        if (msg instanceof Element element) {
            StringBuilder sb = new StringBuilder(256);
            XmlWriter.write(element, defaultNamespace, sb);
            text = sb.toString();
        } else {
            text = (String) msg;
        }
        out.writeCharSequence(text, StandardCharsets.UTF_8);
    }
}
