package org.skerry.server;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.skerry.server.auth.CredentialLookup;
import org.skerry.server.auth.ScramCredential;
import org.skerry.server.auth.ScramHash;
import org.skerry.server.session.ClientSession;
import org.skerry.server.session.SessionRegistry;
import org.skerry.server.storage.AccountRepository;
import org.skerry.server.xmpp.Jid;
import org.skerry.server.xmpp.StreamError;

/**
 * Account management shared by the CLI, in-band registration and admin commands. Blocking: call it from the
 * storage worker pool, never from an event loop. Only SCRAM salts, iteration counts and keys are stored.
 */
public final class Accounts {
    private final AccountRepository repository;
    private final SessionRegistry sessions;
    private static final Duration DISCONNECT_GRACE = Duration.ofMillis(250);

    private final int iterations;
    private final ScheduledExecutorService scheduler;

    /** An account service with no live sessions to manage (the CLI with the node stopped). */
    public Accounts(AccountRepository repository, int iterations) {
        this(repository, null, null, iterations);
    }

    public Accounts(AccountRepository repository, SessionRegistry sessions, ScheduledExecutorService scheduler, int iterations) {
        this.repository = repository;
        this.sessions = sessions;
        this.scheduler = scheduler;
        this.iterations = iterations;
    }

    /** Creates an account; false if it exists already. */
    public boolean create(Jid account, String password) {
        checkPassword(password);
        return repository.create(account.domain(), account.local(), derive(password));
    }

    public boolean changePassword(Jid account, String password) {
        checkPassword(password);
        return repository.replaceCredentials(account.domain(), account.local(), derive(password));
    }

    /**
     * Deletes the account and everything stored for it, and disconnects its sessions a moment later: a client
     * that deleted its own account (XEP-0077) must get the answer to its request before the stream ends, and
     * clients such as Smack process stanzas asynchronously from the stream error that follows.
     */
    public boolean delete(Jid account) {
        boolean deleted = repository.delete(account.domain(), account.local());
        if (deleted && sessions != null) {
            Runnable disconnect = () -> {
                for (ClientSession s : sessions.sessions(account.bare())) {
                    s.close(new StreamError(StreamError.Condition.NOT_AUTHORIZED, "The account was deleted"));
                }
            };
            if (scheduler == null) {
                disconnect.run();
            } else {
                scheduler.schedule(disconnect, DISCONNECT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        return deleted;
    }

    public boolean exists(Jid account) { return repository.exists(account.domain(), account.local()); }

    public List<String> list(String domain) { return repository.list(domain); }

    public long count(String domain) { return repository.count(domain); }

    public long countAll() { return repository.countAll(); }

    /**
     * True when {@code password} is the account's password, checked against its stored SCRAM keys (the HTTP
     * console's sign-in; XMPP clients go through SASL). Any one stored hash suffices.
     */
    public boolean passwordMatches(Jid account, String password) {
        if (password == null || password.isEmpty() || password.length() > 1024 || account.local() == null) {
            return false;
        }
        for (ScramHash hash : ScramHash.values()) {
            var credential = repository.credential(account.domain(), account.local(), hash);
            if (credential.isPresent()) {
                return credential.get().matchesPassword(password);
            }
        }
        return false;
    }

    /** SASL's view of the accounts of one domain. */
    public CredentialLookup credentialLookup(String domain) {
        return (username, hash) -> repository.credential(domain, username, hash);
    }

    private List<ScramCredential> derive(String password) {
        return ScramCredential.deriveAll(password, iterations);
    }

    private static void checkPassword(String password) {
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("The password must not be empty");
        }
        if (password.length() > 1024) {
            throw new IllegalArgumentException("The password is too long");
        }
    }
}
