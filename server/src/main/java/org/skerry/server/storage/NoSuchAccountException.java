package org.skerry.server.storage;

/**
 * A per-user write (roster, offline message, private XML) named an account that does not exist.
 *
 * <p>Storage never creates data for a user without an account: the router should have answered
 * such a stanza with an error before it reached storage, or the account was deleted meanwhile.
 */
public final class NoSuchAccountException extends StorageException {
    public NoSuchAccountException(String domain, String username) {
        super("no account " + username + "@" + domain);
    }
}
