package org.skerry.bench.xml;

/** The server closed its stream with {@code </stream:stream>}. */
public enum StreamClose { INSTANCE }
