package org.skerry.bench.xml;

/** The server opened its stream: {@code header} is the {@code <stream:stream>} start tag with its attributes. */
public record StreamOpen(XmlElement header) {}
