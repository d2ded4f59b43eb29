package org.skerry.server.session;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.StreamError;

/** A real {@link Connection} that keeps what it was asked to write, for tests of the layers above the socket. */
public final class RecordingConnection implements Connection {
    private final List<Element> written = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private volatile StreamError closedWith;

    @Override
    public CompletableFuture<Void> write(Element element) {
        if (closed) {
            throw new IllegalStateException("write after close: " + element);
        }
        written.add(element);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close(StreamError error) {
        closed = true;
        closedWith = error;
    }

    @Override
    public String remoteAddress() { return "127.0.0.1"; }

    /** Everything written so far, oldest first. */
    public List<Element> written() { return List.copyOf(written); }

    /** Returns what was written and forgets it. */
    public List<Element> take() {
        List<Element> out = List.copyOf(written);
        written.removeAll(out);
        return out;
    }

    public boolean isClosed() { return closed; }

    public StreamError closedWith() { return closedWith; }
}
