package org.skerry.console.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * Signed-in console sessions, in memory only (a restart signs everyone out). A session id and its CSRF token are
 * 256-bit random values; a session ends after {@code idleTimeout} without a request, after {@link #MAX_LIFETIME}
 * in any case, or at sign-out. The table is bounded: when full, the least recently used session is dropped.
 */
public final class ConsoleSessions {
    static final Duration MAX_LIFETIME = Duration.ofHours(12);
    private static final int MAX_SESSIONS = 1000;

    /** A signed-in admin. The flash message is shown once, on the next page. */
    public static final class Session {
        final String id;
        final String admin;
        final String csrfToken;
        final Instant created;
        Instant lastSeen;
        String flash;

        Session(String id, String admin, String csrfToken, Instant created) {
            this.id = id;
            this.admin = admin;
            this.csrfToken = csrfToken;
            this.created = created;
            this.lastSeen = created;
        }

        public String admin() { return admin; }

        public String csrfToken() { return csrfToken; }
    }

    private final SecureRandom random = new SecureRandom();
    private final Duration idleTimeout;
    private final Clock clock;
    /** Access order: the eldest entry is the least recently used. */
    private final LinkedHashMap<String, Session> sessions = new LinkedHashMap<>(16, 0.75f, true);

    public ConsoleSessions(Duration idleTimeout, Clock clock) {
        this.idleTimeout = idleTimeout;
        this.clock = clock;
    }

    public synchronized Session create(String admin) {
        removeExpired();
        if (sessions.size() >= MAX_SESSIONS) {
            Iterator<String> eldest = sessions.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
        Session session = new Session(token(), admin, token(), clock.instant());
        sessions.put(session.id, session);
        return session;
    }

    /** The live session with this id, touched; null when unknown or expired. */
    public synchronized Session find(String id) {
        if (id == null) {
            return null;
        }
        Session session = sessions.get(id);
        if (session == null) {
            return null;
        }
        Instant now = clock.instant();
        if (expired(session, now)) {
            sessions.remove(id);
            return null;
        }
        session.lastSeen = now;
        return session;
    }

    public synchronized void remove(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    /** Signs an account out everywhere (its password changed, it was deleted or locked). */
    public synchronized void removeAdmin(String admin) {
        sessions.values().removeIf(session -> session.admin.equals(admin));
    }

    synchronized void flash(Session session, String message) {
        session.flash = message;
    }

    synchronized String takeFlash(Session session) {
        String message = session.flash;
        session.flash = null;
        return message;
    }

    private boolean expired(Session session, Instant now) {
        return now.isAfter(session.lastSeen.plus(idleTimeout)) || now.isAfter(session.created.plus(MAX_LIFETIME));
    }

    private void removeExpired() {
        Instant now = clock.instant();
        sessions.values().removeIf(session -> expired(session, now));
    }

    /** A fresh 256-bit random token, URL- and cookie-safe. */
    public String token() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Compares two tokens in time independent of where they differ. */
    static boolean sameToken(String expected, String given) {
        return given != null && MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
