package org.skerry.server.module;

/** A named event that carries a payload of type {@code T}; handlers subscribe by this key. */
public final class EventType<T> {
    private final String name;

    public EventType(String name) { this.name = name; }

    public String name() { return name; }

    @Override
    public String toString() { return name; }
}
