package org.skerry.server.xml;

/** Fired by {@link XmlStreamDecoder} when the peer closed its stream with {@code </stream:stream>}. */
public enum StreamClose {
    INSTANCE
}
