package org.skerry.console.signin;

import java.time.Duration;
import java.util.List;
import org.skerry.server.Accounts;
import org.skerry.server.auth.LoginThrottle;
import org.skerry.server.xmpp.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a console sign-in: only JIDs listed in {@code admins}, with their XMPP password checked against the stored
 * SCRAM keys, throttled per IP and per account like XMPP logins. Every refusal says the same thing, so the console
 * does not reveal which accounts exist or are admins.
 */
public final class AdminSignIn {
    private static final Logger log = LoggerFactory.getLogger(AdminSignIn.class);
    public static final String REFUSED = "Wrong address or password, or not an administrator of this node";

    /** The outcome: the signed-in admin's bare JID, or why not. */
    public record Result(String admin, String refusal, Duration retryAfter) {
        public boolean ok() { return admin != null; }
    }

    private final List<String> admins;
    private final Accounts accounts;
    private final LoginThrottle throttle;

    public AdminSignIn(List<String> admins, Accounts accounts, LoginThrottle throttle) {
        this.admins = admins;
        this.accounts = accounts;
        this.throttle = throttle;
    }

    /** Blocking (it derives a SCRAM key): call it from an HTTP worker thread. */
    public Result signIn(String jidText, String password, String remoteIp) {
        Jid jid = jidText == null || jidText.length() > 3071 ? null : Jid.parseOrNull(jidText.trim());
        String account = jid == null ? String.valueOf(jidText) : jid.bare().toString();
        if (!throttle.allowed(remoteIp, account)) {
            Duration wait = throttle.retryAfter(remoteIp, account);
            return new Result(null, "Too many failed sign-ins; try again in " + Math.max(1, wait.toSeconds()) + " s", wait);
        }
        // A locked account gets the same refusal: the console reveals no more than XMPP does to a guesser.
        boolean ok = jid != null && jid.local() != null && jid.resource() == null
                && admins.contains(account) && !accounts.isLocked(jid) && accounts.passwordMatches(jid, password);
        if (!ok) {
            throttle.recordFailure(remoteIp, account);
            log.warn("Console sign-in refused for {} from {}", account, remoteIp);
            return new Result(null, REFUSED, null);
        }
        throttle.recordSuccess(remoteIp, account);
        log.info("Console sign-in: {} from {}", account, remoteIp);
        return new Result(account, null, null);
    }
}
