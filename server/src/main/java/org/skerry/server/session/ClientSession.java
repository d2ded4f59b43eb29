package org.skerry.server.session;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Jid;
import org.skerry.server.xmpp.Namespaces;
import org.skerry.server.xmpp.StreamError;

/**
 * A bound client resource. It outlives its {@link Connection} when XEP-0198 resumption is on: while
 * hibernating, stanzas for it are queued as unacknowledged and sent when the client resumes.
 *
 * <p>Thread-safety: stanzas are delivered from many threads (other sessions' event loops, storage workers), so
 * the send path and the XEP-0198 state are guarded by this object's lock; presence fields are volatile.
 */
public final class ClientSession {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final Jid jid;
    private final String id;
    private final String remoteAddress;
    private Connection connection;
    private StreamManagement sm;
    private String resumptionId;
    private boolean closed;
    private ScheduledFuture<?> hibernationTimer;

    private volatile boolean available;
    private volatile int priority;
    private volatile Element presence;
    private volatile boolean interested;
    private final Set<Jid> directedPresence = ConcurrentHashMap.newKeySet();

    public ClientSession(Jid jid, String id, Connection connection) {
        this.jid = jid;
        this.id = id;
        this.connection = connection;
        this.remoteAddress = connection.remoteAddress();
    }

    public Jid jid() { return jid; }

    public Jid bare() { return jid.bare(); }

    /** The stream id of the stream that bound this session. */
    public String id() { return id; }

    public String remoteAddress() { return remoteAddress; }

    /**
     * Sends a stanza to the client, or queues it for a resumption if the client is away. The future completes
     * when it is written to the socket (at once when it is only queued or the session is gone).
     */
    public CompletableFuture<Void> deliver(Element stanza) {
        Connection target;
        synchronized (this) {
            if (closed) {
                return DONE;
            }
            if (sm != null) {
                sm.sent(stanza);
            }
            target = connection;
        }
        return target != null ? target.write(stanza) : DONE;
    }

    /** Ends the session with a stream error (null for a plain close). */
    public void close(StreamError error) {
        Connection target;
        synchronized (this) {
            target = connection;
        }
        if (target != null) {
            target.close(error);
        }
    }

    // ---- presence state (RFC 6121) ----

    public boolean isAvailable() { return available; }

    public int priority() { return priority; }

    /** The last broadcast presence, or null before initial presence. */
    public Element presence() { return presence; }

    public void updatePresence(Element newPresence, boolean nowAvailable, int newPriority) {
        this.presence = newPresence;
        this.priority = newPriority;
        this.available = nowAvailable;
    }

    /** True once the client asked for its roster: roster pushes go only to such "interested" resources. */
    public boolean isInterested() { return interested; }

    public void markInterested() { this.interested = true; }

    /** Addresses that got directed presence from this session and must get its unavailable presence. */
    public Set<Jid> directedPresence() { return directedPresence; }

    // ---- XEP-0198 ----

    public synchronized boolean streamManagementEnabled() { return sm != null; }

    public synchronized void enableStreamManagement(String newResumptionId) {
        if (sm == null) {
            sm = new StreamManagement();
        }
        this.resumptionId = newResumptionId;
    }

    public synchronized String resumptionId() { return resumptionId; }

    public synchronized long inboundReceived() { return sm == null ? -1 : sm.received(); }

    public synchronized void inboundFinished(long sequence) {
        if (sm != null && sequence >= 0) {
            sm.finished(sequence);
        }
    }

    public synchronized long inboundHandled() { return sm == null ? 0 : sm.inboundH(); }

    public synchronized int unackedCount() { return sm == null ? 0 : sm.unackedCount(); }

    /** Applies {@code <a h='...'/>}; false means the client acknowledged stanzas it never got. */
    public synchronized boolean acknowledge(long h) { return sm == null || sm.acknowledge(h); }

    /** The connection went away but the session waits for a resumption. */
    public synchronized void hibernate(ScheduledFuture<?> timer) {
        this.connection = null;
        this.hibernationTimer = timer;
    }

    /** Whether {@code candidate} is still this session's transport (a resumption may have moved it). */
    public synchronized boolean attachedTo(Connection candidate) { return connection == candidate; }

    public synchronized boolean isHibernating() { return connection == null && !closed; }

    /**
     * Moves the session onto a new connection after {@code <resume/>}: applies the client's h, then re-sends what
     * it never acknowledged. Returns the h to report in {@code <resumed/>}.
     */
    public long resume(Connection newConnection, long clientH, Element resumed) {
        List<Element> resend;
        Connection old;
        synchronized (this) {
            old = this.connection;
            if (hibernationTimer != null) {
                hibernationTimer.cancel(false);
                hibernationTimer = null;
            }
            sm.acknowledge(clientH);
            resend = sm.unacked();
            this.connection = newConnection;
            resumed.attr("h", Long.toString(sm.inboundH()));
            newConnection.write(resumed);
            for (Element stanza : resend) {
                newConnection.write(stanza);
            }
        }
        if (old != null && old != newConnection) {
            // RFC-wise the old stream is gone; tell it so if it is somehow still open.
            old.close(null);
        }
        return clientH;
    }

    /**
     * Marks the session ended and returns the stanzas the client never acknowledged, oldest first; null if it had
     * already ended, so that exactly one caller cleans up.
     */
    public synchronized List<Element> terminate() {
        if (closed) {
            return null;
        }
        closed = true;
        connection = null;
        if (hibernationTimer != null) {
            hibernationTimer.cancel(false);
            hibernationTimer = null;
        }
        return sm == null ? List.of() : sm.drainUnacked();
    }

    public synchronized boolean isClosed() { return closed; }

    /** The request for an acknowledgement, sent when many stanzas are unacknowledged. */
    public static Element ackRequest() { return new Element("r", Namespaces.SM); }

    @Override
    public String toString() { return jid.toString(); }
}
