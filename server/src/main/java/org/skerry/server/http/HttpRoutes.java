package org.skerry.server.http;

import org.eclipse.jetty.server.Handler;

/**
 * Where modules mount their HTTP handlers on the node's one listener ({@code http.bind}). A handler answers every
 * path at or below its prefix; the longest matching prefix wins. Handlers run on the listener's bounded thread
 * pool, never on a Netty event loop, so they may block on storage.
 */
public interface HttpRoutes {
    /**
     * Mounts {@code handler} at {@code prefix} (for example {@code "/admin"}). One handler per prefix; a second
     * mount of the same prefix is a programming error.
     */
    void mount(String prefix, Handler handler);
}
