package org.skerry.server.storage;

import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A daemon thread that runs a pass (forcing files to disk) once per interval, and a last step when stopped. It is
 * never interrupted: an interrupt during a file operation closes the file's channel (NIO), and with it, for H2, the
 * database. What the passes force is the caller's ({@link H2Syncer}, the federation queue's journal).
 */
public final class SyncThread implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SyncThread.class);
    /** How long {@link #close} waits for a pass in progress. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final Duration interval;
    private final Runnable pass;
    private final Runnable last;
    private final Object wakeUp = new Object();
    private final Thread thread;
    private volatile boolean stopping;

    /** {@code pass} runs every {@code interval}; {@code last} once, on the thread, after {@link #close}. */
    public SyncThread(String name, Duration interval, Runnable pass, Runnable last) {
        this.interval = Objects.requireNonNull(interval, "interval");
        this.pass = Objects.requireNonNull(pass, "pass");
        this.last = Objects.requireNonNull(last, "last");
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        while (waitInterval()) {
            pass.run();
        }
        last.run();
    }

    /** Waits one interval; false once stopping. */
    private boolean waitInterval() {
        long deadline = System.nanoTime() + interval.toNanos();
        synchronized (wakeUp) {
            long left;
            while (!stopping && (left = deadline - System.nanoTime()) > 0) {
                try {
                    wakeUp.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    // Nobody interrupts this thread on purpose; the loop keeps its own stop condition.
                }
            }
        }
        return !stopping;
    }

    /**
     * Stops the thread after its last step. Waits for a slow disk for a while rather than interrupting it; a pass
     * that hangs longer is left to the daemon thread.
     */
    @Override
    public void close() {
        stopping = true;
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
        try {
            thread.join(CLOSE_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("{} is still forcing files to disk after {} s", thread.getName(), CLOSE_WAIT.toSeconds());
        }
    }
}
