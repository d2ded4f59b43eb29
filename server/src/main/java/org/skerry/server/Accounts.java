package org.skerry.server;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.skerry.server.auth.CredentialLookup;
import org.skerry.server.auth.ScramCredential;
import org.skerry.server.auth.ScramHash;
import org.skerry.server.session.ClientSession;
import org.skerry.server.storage.AccountRepository;
import org.skerry.server.storage.AccountSummary;
import org.skerry.server.stream.SessionEnd;
import org.skerry.server.xmpp.Jid;
import org.skerry.server.xmpp.StreamError;

/**
 * Account management shared by the CLI, in-band registration and admin commands. Blocking: call it from the
 * storage worker pool, never from an event loop. Only SCRAM salts, iteration counts and keys are stored.
 */
public final class Accounts {
    private final AccountRepository repository;
    private final ServerContext server;
    private static final Duration DISCONNECT_GRACE = Duration.ofMillis(250);

    private final int iterations;
    /**
     * The locked accounts, mirrored from storage: SASL and resource binding check it on the event loop, where
     * no query may run. Updated before the sessions are swept, so that a login racing with a lock either is
     * found by the sweep or finds the lock (see {@link #lock}).
     */
    private final Set<Jid> locked = ConcurrentHashMap.newKeySet();

    /** An account service with no live sessions to manage (the CLI with the node stopped). */
    public Accounts(AccountRepository repository, int iterations) {
        this(repository, null, iterations);
    }

    /** The node's account service; it ends the sessions of accounts that are locked or deleted. */
    public Accounts(AccountRepository repository, ServerContext server, int iterations) {
        this.repository = repository;
        this.server = server;
        this.iterations = iterations;
        for (AccountSummary account : repository.locked()) {
            locked.add(Jid.of(account.username(), account.domain()));
        }
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
        if (deleted) {
            locked.remove(account.bare());
        }
        if (deleted && server != null) {
            server.scheduler().schedule(() -> disconnect(account,
                    new StreamError(StreamError.Condition.NOT_AUTHORIZED, "The account was deleted")),
                    DISCONNECT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        }
        return deleted;
    }

    /**
     * Locks an account: it can no longer log in (SASL answers {@code <account-disabled/>}) and its sessions end
     * at once, hibernating ones included. Idempotent.
     *
     * <p>The stream error is {@code <policy-violation/>}, not {@code <not-authorized/>}: RFC 6120 §4.9.3.12
     * reserves not-authorized for data sent before or outside the stream's authentication, while this session
     * authenticated properly and ends by a local policy decision, the case of §4.9.3.14, whose {@code <text/>}
     * names the policy.
     *
     * @return false if there is no such account
     */
    public synchronized boolean lock(Jid account) {
        Jid bare = account.bare();
        boolean wasLocked = !locked.add(bare);
        boolean exists;
        try {
            exists = repository.setLocked(bare.domain(), bare.local(), Instant.now());
        } catch (RuntimeException e) {
            if (!wasLocked) {
                locked.remove(bare);
            }
            throw e;
        }
        if (!exists) {
            locked.remove(bare);
            return false;
        }
        disconnect(bare, new StreamError(StreamError.Condition.POLICY_VIOLATION, "The account was locked by an administrator"));
        return true;
    }

    /** Lets a locked account log in again; false if there is no such account. */
    public synchronized boolean unlock(Jid account) {
        Jid bare = account.bare();
        boolean exists = repository.setLocked(bare.domain(), bare.local(), null);
        if (exists) {
            locked.remove(bare);
        }
        return exists;
    }

    /** Whether the account is locked; non-blocking, safe on an event loop. */
    public boolean isLocked(Jid account) { return locked.contains(account.bare()); }

    /**
     * Ends every session of the account: connected ones with {@code error}, hibernating ones (XEP-0198, no
     * connection to tell) at once, so that their unacknowledged messages go to offline storage now.
     */
    private void disconnect(Jid account, StreamError error) {
        if (server == null) {
            return;
        }
        for (ClientSession s : server.sessions().sessions(account.bare())) {
            SessionEnd.disconnect(server, s, error);
        }
    }

    public boolean exists(Jid account) { return repository.exists(account.domain(), account.local()); }

    public List<String> list(String domain) { return repository.list(domain); }

    /** A page of a domain's accounts whose localpart contains {@code fragment}, with the count of all matches. */
    public AccountPage search(String domain, String fragment, int offset, int limit) {
        return new AccountPage(repository.search(domain, fragment, offset, limit), repository.countMatching(domain, fragment));
    }

    /** One page of a search, and how many accounts matched in all. */
    public record AccountPage(List<AccountSummary> accounts, long total) {}

    /** The account's summary (created, locked since), if it exists. */
    public Optional<AccountSummary> summary(Jid account) { return repository.summary(account.domain(), account.local()); }

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
