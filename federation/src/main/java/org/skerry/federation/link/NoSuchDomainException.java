package org.skerry.federation.link;

/**
 * DNS answered NXDOMAIN for a peer domain and for its SRV names: authoritatively, the domain does not exist. Unlike a
 * timeout or SERVFAIL, retrying cannot help.
 */
public final class NoSuchDomainException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NoSuchDomainException(String domain) {
        super("DNS says " + domain + " does not exist (NXDOMAIN)", null, false, false);
    }
}
