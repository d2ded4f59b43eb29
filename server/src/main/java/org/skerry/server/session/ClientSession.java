package org.skerry.server.session;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
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
    private final Instant since = Instant.now();
    private Connection connection;
    private StreamManagement sm;
    private String resumptionId;
    private boolean closed;
    private ScheduledFuture<?> hibernationTimer;
    private Consumer<Element> lateDelivery;
    private int maxUnacked = Integer.MAX_VALUE;
    private Duration resumptionTime;

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

    /** When the resource was bound. */
    public Instant since() { return since; }

    /** TLS of the connection the session is on now (a resumption may have moved it); null while hibernating. */
    public synchronized Connection.Tls tls() { return connection == null ? null : connection.tls(); }

    /**
     * Sends a stanza to the client, or queues it for a resumption if the client is away. The future completes
     * when it is written to the socket (at once when it is only queued or the session is gone).
     */
    public CompletableFuture<Void> deliver(Element stanza) {
        Consumer<Element> late;
        synchronized (this) {
            if (!closed) {
                boolean overflow = false;
                if (sm != null) {
                    sm.sent(stanza);
                    overflow = sm.unackedCount() > maxUnacked;
                }
                if (connection == null) {
                    return DONE; // hibernating: it waits among the unacknowledged for a resumption
                }
                // Written under the lock, so that the socket sees stanzas in the order XEP-0198 counted them.
                CompletableFuture<Void> written = connection.write(stanza);
                if (overflow) {
                    connection.close(new StreamError(StreamError.Condition.RESOURCE_CONSTRAINT,
                            "Too many stanzas left unacknowledged"));
                }
                return written;
            }
            late = lateDelivery;
        }
        // The session ended between the sender's look-up and now: hand the stanza to whoever took over.
        if (late != null) {
            late.accept(stanza);
        }
        return DONE;
    }

    /** Where stanzas that reach this session after it ended go (set by whoever ends it). */
    public synchronized void onLateDelivery(Consumer<Element> handler) { this.lateDelivery = handler; }

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

    /**
     * Turns XEP-0198 on. {@code maxUnacked} bounds the stanzas kept for the client (a client that never acks
     * must not grow the queue without bound); {@code resumptionTime} is how long the session waits when its
     * connection drops (null: not resumable).
     */
    public synchronized void enableStreamManagement(String newResumptionId, int maxUnacked, Duration resumptionTime) {
        if (sm == null) {
            sm = new StreamManagement();
        }
        this.resumptionId = newResumptionId;
        this.maxUnacked = maxUnacked;
        this.resumptionTime = resumptionTime;
    }

    /** How long to wait for a resumption, as agreed when stream management was enabled. */
    public synchronized Duration resumptionTime() { return resumptionTime; }

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

    /**
     * The connection {@code lost} went away; the session waits for a resumption. Returns false (and cancels the
     * timer) if the session has meanwhile moved to another connection or ended.
     */
    public synchronized boolean hibernate(Connection lost, ScheduledFuture<?> timer) {
        if (closed || connection != lost) {
            timer.cancel(false);
            return false;
        }
        this.connection = null;
        this.hibernationTimer = timer;
        return true;
    }

    /** Whether {@code candidate} is still this session's transport (a resumption may have moved it). */
    public synchronized boolean attachedTo(Connection candidate) { return connection == candidate; }

    public synchronized boolean isHibernating() { return connection == null && !closed; }

    /**
     * Moves the session onto a new connection after {@code <resume/>}: applies the client's h, then re-sends what
     * it never acknowledged. Returns the h to report in {@code <resumed/>}.
     */
    public boolean resume(Connection newConnection, long clientH, Element resumed) {
        Connection old;
        synchronized (this) {
            if (closed || sm == null) {
                return false; // it ended while the client was reconnecting
            }
            old = this.connection;
            if (hibernationTimer != null) {
                hibernationTimer.cancel(false);
                hibernationTimer = null;
            }
            if (!sm.acknowledge(clientH)) {
                return false; // the client claims stanzas it never got: refuse rather than guess
            }
            List<Element> resend = sm.unacked();
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
        return true;
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
        if (connection != null) {
            connection.close(null); // a stream still attached must not outlive its session
        }
        connection = null;
        if (hibernationTimer != null) {
            hibernationTimer.cancel(false);
            hibernationTimer = null;
        }
        return sm == null ? List.of() : sm.drainUnacked();
    }

    public synchronized boolean isClosed() { return closed; }

    /** The request for an acknowledgement (XEP-0198 {@code <r/>}). */
    public static Element ackRequest() { return new Element("r", Namespaces.SM); }

    @Override
    public String toString() { return jid.toString(); }
}
