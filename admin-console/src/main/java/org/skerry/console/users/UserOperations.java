package org.skerry.console.users;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.skerry.console.web.ConsoleSessions;
import org.skerry.console.web.WebError;
import org.skerry.server.Accounts;
import org.skerry.server.ServerContext;
import org.skerry.server.session.ClientSession;
import org.skerry.server.session.Connection;
import org.skerry.server.storage.AccountSummary;
import org.skerry.server.stream.SessionEnd;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Jid;
import org.skerry.server.xmpp.StreamError;

/**
 * What an administrator does with accounts, shared by the Users pages and the JSON API so that the two cannot
 * drift apart. Every method checks its input first and throws a {@link WebError} before anything changes.
 * Blocking (storage): called on Jetty's worker threads.
 */
public final class UserOperations {
    public static final int PAGE_SIZE = 50;
    static final int MAX_JID = 3071;
    static final int MAX_PASSWORD = 1024;
    static final int MAX_QUERY = 1023;
    static final int MAX_RESOURCE = 1023;
    private static final int MAX_PAGE = 1_000_000;
    private static final String CAPS = "http://jabber.org/protocol/caps";
    static final String KICKED = "Disconnected by an administrator";
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    /** One row of the account list. */
    public record UserRow(String jid, String created, boolean locked, String lockedSince, int sessions) {}

    /** One page of a search. {@code total} counts every match; {@code pages} is at least 1. */
    public record UserList(String domain, List<String> domains, String query, int page, int pageSize, int pages,
                           long total, List<UserRow> users) {}

    /**
     * A bound resource. {@code client} is the XEP-0115 caps node of its last presence ("unknown" without one);
     * TLS fields are null while the session hibernates (XEP-0198) or if the stream is in the clear.
     */
    public record LiveSession(String resource, String client, String ip, String tlsProtocol, String tlsCipher,
                              String since, boolean hibernating) {}

    /** An account with its live sessions. */
    public record UserDetail(String jid, String created, boolean locked, String lockedSince, boolean admin,
                             List<LiveSession> sessions) {}

    private final ServerContext server;
    private final Accounts accounts;
    private final ConsoleSessions consoleSessions;

    public UserOperations(ServerContext server, ConsoleSessions consoleSessions) {
        this.server = server;
        this.accounts = server.accounts();
        this.consoleSessions = consoleSessions;
    }

    /** Accounts of {@code domain} (the node's first when null) whose localpart contains {@code query}. */
    public UserList search(String domain, String query, String page) throws WebError {
        String served = domain == null ? server.domains().get(0) : domain;
        if (!server.isLocalDomain(served)) {
            throw WebError.badRequest("This node does not serve the domain " + served);
        }
        String fragment = query == null ? "" : query.trim().toLowerCase(Locale.ROOT);
        if (fragment.length() > MAX_QUERY) {
            throw WebError.badRequest("The search is longer than " + MAX_QUERY + " characters");
        }
        int number = pageNumber(page);
        Accounts.AccountPage found = accounts.search(served, fragment, (number - 1) * PAGE_SIZE, PAGE_SIZE);
        List<UserRow> rows = new ArrayList<>();
        for (AccountSummary account : found.accounts()) {
            Jid jid = Jid.of(account.username(), account.domain());
            rows.add(new UserRow(jid.toString(), time(account.createdAt()), account.locked(), time(account.lockedAt()),
                    server.sessions().sessions(jid).size()));
        }
        int pages = (int) Math.max(1, (found.total() + PAGE_SIZE - 1) / PAGE_SIZE);
        return new UserList(served, server.domains(), fragment, number, PAGE_SIZE, pages, found.total(), rows);
    }

    public UserDetail user(String jidText) throws WebError {
        Jid jid = existing(jidText);
        AccountSummary account = accounts.summary(jid).orElseThrow(() -> noSuchUser(jid));
        return new UserDetail(jid.toString(), time(account.createdAt()), account.locked(), time(account.lockedAt()),
                server.config().admins().contains(jid.toString()), sessions(jid));
    }

    public UserDetail create(String jidText, String password) throws WebError {
        Jid jid = account(jidText);
        if (!server.isLocalDomain(jid.domain())) {
            throw WebError.badRequest("This node does not serve the domain " + jid.domain());
        }
        if (!accounts.create(jid, password)) {
            throw WebError.conflict("The account " + jid + " exists already");
        }
        return user(jid.toString());
    }

    /** Sets a new password; the account's console sessions end (its old password no longer signs anyone in). */
    public void resetPassword(String jidText, String password) throws WebError {
        Jid jid = existing(jidText);
        if (!accounts.changePassword(jid, password)) {
            throw noSuchUser(jid);
        }
        consoleSessions.removeAdmin(jid.toString());
    }

    /** Locks the account: no XMPP login, no console sign-in, and its sessions of both kinds end now. */
    public void lock(String admin, String jidText) throws WebError {
        Jid jid = existing(jidText);
        refuseSelf(admin, jid, "lock");
        Collection<ClientSession> live = server.sessions().sessions(jid);
        if (!accounts.lock(jid)) {
            throw noSuchUser(jid);
        }
        consoleSessions.removeAdmin(jid.toString());
        awaitEnded(live);
    }

    public void unlock(String jidText) throws WebError {
        Jid jid = existing(jidText);
        if (!accounts.unlock(jid)) {
            throw noSuchUser(jid);
        }
    }

    /** Deletes the account and all its data; {@code confirmed} is the caller's explicit yes. */
    public void delete(String admin, String jidText, boolean confirmed) throws WebError {
        Jid jid = existing(jidText);
        refuseSelf(admin, jid, "delete");
        if (!accounts.exists(jid)) {
            throw noSuchUser(jid);
        }
        if (!confirmed) {
            throw new WebError(400, "confirmation-required", "Deleting " + jid + " needs an explicit confirmation");
        }
        if (!accounts.delete(jid)) {
            throw noSuchUser(jid);
        }
        consoleSessions.removeAdmin(jid.toString());
    }

    public List<LiveSession> liveSessions(String jidText) throws WebError {
        Jid jid = existing(jidText);
        if (!accounts.exists(jid)) {
            throw noSuchUser(jid);
        }
        return sessions(jid);
    }

    /**
     * Ends one session with {@code <policy-violation/>} and a text saying who did it: an administrative
     * decision is a local service policy (RFC 6120 §4.9.3.14), and a stream error rules out a resumption.
     */
    public void kick(String jidText, String resource) throws WebError {
        Jid jid = existing(jidText);
        ClientSession session = server.sessions().sessions(jid).stream()
                .filter(s -> s.jid().resource().equals(resource)).findFirst()
                .orElseThrow(() -> WebError.notFound(jid + " has no session with the resource " + resource));
        SessionEnd.disconnect(server, session, new StreamError(StreamError.Condition.POLICY_VIOLATION, KICKED));
        awaitEnded(List.of(session));
    }

    /**
     * Streams close on their event loops; wait a moment for them, so that the answer (and the page after the
     * redirect) shows the outcome. A client that does not read its socket may hold its close for long: its
     * session is ended here anyway, so that nothing is delivered to it any more.
     */
    private void awaitEnded(Collection<ClientSession> sessions) {
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        for (ClientSession s : sessions) {
            while (!s.isClosed() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (!s.isClosed()) {
                SessionEnd.end(server, s);
            }
        }
    }

    /** True when {@code typed} names the same account as {@code jidText}: the page's typed confirmation. */
    static boolean sameAccount(String jidText, String typed) {
        Jid a = Jid.parseOrNull(jidText);
        Jid b = typed == null || typed.length() > MAX_JID ? null : Jid.parseOrNull(typed.trim());
        return a != null && a.equals(b);
    }

    private List<LiveSession> sessions(Jid jid) {
        List<LiveSession> out = new ArrayList<>();
        for (ClientSession s : server.sessions().sessions(jid)) {
            Connection.Tls tls = s.tls();
            out.add(new LiveSession(s.jid().resource(), client(s.presence()), s.remoteAddress(),
                    tls == null ? null : tls.protocol(), tls == null ? null : tls.cipherSuite(), time(s.since()),
                    s.isHibernating()));
        }
        out.sort(Comparator.comparing(LiveSession::since).thenComparing(LiveSession::resource));
        return out;
    }

    /** What we know of the client software: the caps node it advertises in presence (XEP-0115 §4). */
    private static String client(Element presence) {
        Element caps = presence == null ? null : presence.child("c", CAPS);
        String node = caps == null ? null : caps.attr("node");
        return node == null || node.isBlank() ? "unknown" : node;
    }

    /** A bare account address; 400 when it is not one. */
    private static Jid account(String jidText) throws WebError {
        if (jidText == null || jidText.isBlank()) {
            throw WebError.badRequest("The account address is required");
        }
        if (jidText.length() > MAX_JID) {
            throw WebError.badRequest("The account address is longer than " + MAX_JID + " characters");
        }
        Jid jid = Jid.parseOrNull(jidText.trim());
        if (jid == null || jid.local() == null || jid.resource() != null) {
            throw new WebError(400, "invalid-jid", "Not an account address (name@domain): " + jidText);
        }
        return jid;
    }

    /** An account address on one of this node's domains; 404 for any other domain. */
    private Jid existing(String jidText) throws WebError {
        Jid jid = account(jidText);
        if (!server.isLocalDomain(jid.domain())) {
            throw noSuchUser(jid);
        }
        return jid;
    }

    private static void refuseSelf(String admin, Jid jid, String action) throws WebError {
        if (jid.toString().equals(admin)) {
            throw WebError.conflict("You cannot " + action + " your own account");
        }
    }

    private static WebError noSuchUser(Jid jid) { return WebError.notFound("There is no account " + jid); }

    private static int pageNumber(String page) throws WebError {
        if (page == null || page.isBlank()) {
            return 1;
        }
        try {
            int number = Integer.parseInt(page.trim());
            if (number >= 1 && number <= MAX_PAGE) {
                return number;
            }
        } catch (NumberFormatException e) {
            // the same answer as for a number out of range
        }
        throw WebError.badRequest("The page must be a number from 1 to " + MAX_PAGE);
    }

    private static String time(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
