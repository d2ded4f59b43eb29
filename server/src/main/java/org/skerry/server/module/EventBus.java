package org.skerry.server.module;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prioritised, named events in Prosody's style: every stanza the core routes becomes an event, and a feature
 * is a set of handlers. Handlers run in descending priority on the caller's thread; the first one that returns
 * true ends the dispatch. The core registers its default behaviour at priority 0, so modules that want to
 * intercept register above it and modules that only observe return false.
 */
public final class EventBus {
    private static final Logger log = LoggerFactory.getLogger(EventBus.class);

    private record Registration<T>(int priority, long order, EventHandler<T> handler) {}

    private final Map<EventType<?>, List<Registration<?>>> handlers = new ConcurrentHashMap<>();
    private long registrations;

    public synchronized <T> void on(EventType<T> type, int priority, EventHandler<T> handler) {
        List<Registration<?>> current = new ArrayList<>(handlers.getOrDefault(type, List.of()));
        current.add(new Registration<>(priority, registrations++, handler));
        current.sort(Comparator.<Registration<?>>comparingInt(r -> -r.priority()).thenComparingLong(Registration::order));
        handlers.put(type, new CopyOnWriteArrayList<>(current));
    }

    /** Fires an event; returns true if a handler handled it. A failing handler is logged and skipped. */
    @SuppressWarnings("unchecked")
    public <T> boolean fire(EventType<T> type, T event) {
        List<Registration<?>> list = handlers.get(type);
        if (list == null) {
            return false;
        }
        for (Registration<?> registration : list) {
            try {
                if (((EventHandler<T>) registration.handler()).handle(event)) {
                    return true;
                }
            } catch (RuntimeException e) {
                log.error("Handler for {} failed", type, e);
            }
        }
        return false;
    }
}
