package org.skerry.server.module;

/**
 * A feature of the server. Modules are found with {@link java.util.ServiceLoader}, so a new feature is a new class
 * plus one line in {@code META-INF/services/org.skerry.server.module.Module}, with no edit to the core.
 */
public interface Module {
    /** Registers handlers and advertised features. Runs once, before any listener accepts connections. */
    void start(ModuleContext context);

    /** Releases resources; the node is shutting down. */
    default void stop() {}
}
