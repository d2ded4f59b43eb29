package org.skerry.server.module;

/** Handles an event; returning true means "handled", which stops lower-priority handlers from seeing it. */
@FunctionalInterface
public interface EventHandler<T> {
    boolean handle(T event);
}
