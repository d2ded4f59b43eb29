package org.skerry.server.im;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import org.skerry.server.ServerContext;
import org.skerry.server.module.Implements;
import org.skerry.server.module.Module;
import org.skerry.server.module.ModuleContext;
import org.skerry.server.routing.StanzaEvent;
import org.skerry.server.stream.Features;
import org.skerry.server.stream.UnauthenticatedIq;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Jid;
import org.skerry.server.xmpp.StanzaError;
import org.skerry.server.xmpp.Stanzas;

/**
 * XEP-0077 in-band registration. Creating accounts before authentication is off unless
 * {@code c2s.allow_registration} is set or an admin opened it live ({@link org.skerry.server.RegistrationSwitch},
 * read on every stream and request), and is throttled per IP; changing one's password and removing one's
 * account are always available to a logged-in user.
 */
@Implements(spec = "XEP-0077", version = "2.4")
public final class RegisterModule implements Module {
    static final String NS = "jabber:iq:register";

    private ServerContext server;
    private RegistrationThrottle throttle;

    @Override
    public void start(ModuleContext context) {
        server = context.server();
        throttle = new RegistrationThrottle(server.config().c2s().registrationLimit(),
                server.config().c2s().registrationWindow());
        context.advertise(NS);
        context.onAccountIq(NS, this::loggedIn);
        // XEP-0077 §3.2 and §3.3 (and Smack's AccountManager) address password changes and cancellation to the
        // server, not to the account: both forms act on the sender's own account.
        context.onIq(NS, this::loggedIn);
        context.on(UnauthenticatedIq.EVENT, 0, this::beforeLogin);
        context.on(Features.EVENT, 0, f -> {
            if (server.registration().isOpen() && !f.authenticated() && f.secure()) {
                f.features().addChild("register", "http://jabber.org/features/iq-register");
            }
            return false;
        });
    }

    private boolean beforeLogin(UnauthenticatedIq request) {
        Element iq = request.iq();
        Element query = iq.child("query", NS);
        if (query == null) {
            return false;
        }
        if (!server.registration().isOpen()) {
            request.reply().accept(Stanzas.error(iq, StanzaError.SERVICE_UNAVAILABLE, "Registration is closed"));
            return true;
        }
        if ("get".equals(iq.attr("type"))) {
            Element result = Stanzas.iqResult(iq);
            Element form = result.addChild("query", NS);
            form.addChild("instructions").addText("Choose a username and password to register with this server.");
            form.addChild("username");
            form.addChild("password");
            request.reply().accept(result);
            return true;
        }
        String username = query.childText("username");
        String password = query.childText("password");
        if (query.child("remove") != null) {
            request.reply().accept(Stanzas.error(iq, StanzaError.NOT_AUTHORIZED, "Log in to remove your account"));
            return true;
        }
        if (username == null || password == null || username.isBlank() || password.isEmpty()) {
            request.reply().accept(Stanzas.error(iq, StanzaError.NOT_ACCEPTABLE, "A username and a password are required"));
            return true;
        }
        Jid account;
        try {
            account = Jid.parse(username.trim() + "@" + request.domain());
        } catch (IllegalArgumentException e) {
            request.reply().accept(Stanzas.error(iq, StanzaError.JID_MALFORMED, "That username is not allowed"));
            return true;
        }
        if (account.local() == null || account.resource() != null || !account.domain().equals(request.domain())) {
            request.reply().accept(Stanzas.error(iq, StanzaError.JID_MALFORMED, "That username is not allowed"));
            return true;
        }
        if (!throttle.allow(request.remoteAddress(), server.clock().instant())) {
            request.reply().accept(Stanzas.error(iq, StanzaError.RESOURCE_CONSTRAINT, "Too many registrations; try later"));
            return true;
        }
        server.storage().run(account, () -> server.accounts().create(account, password)).whenComplete((created, f) -> {
            if (f != null) {
                request.reply().accept(Stanzas.error(iq, StanzaError.NOT_ACCEPTABLE, rootMessage(f)));
            } else if (!created) {
                request.reply().accept(Stanzas.error(iq, StanzaError.CONFLICT, "That username is taken"));
            } else {
                request.reply().accept(Stanzas.iqResult(iq));
            }
        });
        return true;
    }

    private void loggedIn(StanzaEvent event) {
        Element iq = event.stanza();
        if (event.origin() == null || !addressesOwnAccount(event)) {
            server.router().bounce(iq, StanzaError.FORBIDDEN);
            return;
        }
        Jid account = event.origin().bare();
        Element query = iq.firstElement();
        if ("get".equals(iq.attr("type"))) {
            Element result = Stanzas.iqResult(iq);
            Element q = result.addChild("query", NS);
            q.addChild("registered");
            q.addChild("username").addText(account.local());
            q.addChild("password");
            server.router().reply(event, result);
            return;
        }
        if (query.child("remove") != null) {
            server.storage().run(account, () -> {
                server.router().reply(event, Stanzas.iqResult(iq)); // before the deletion closes the stream
                return server.accounts().delete(account);
            });
            return;
        }
        String username = query.childText("username");
        String password = query.childText("password");
        if (password == null || password.isEmpty() || username != null && !username.trim().equalsIgnoreCase(account.local())) {
            server.router().bounce(iq, StanzaError.BAD_REQUEST, "Give your own username and a new password");
            return;
        }
        server.storage().run(account, () -> server.accounts().changePassword(account, password)).whenComplete((ok, f) -> {
            if (f != null || !Boolean.TRUE.equals(ok)) {
                server.router().bounce(iq, StanzaError.NOT_ACCEPTABLE, f == null ? null : rootMessage(f));
            } else {
                server.router().reply(event, Stanzas.iqResult(iq));
            }
        });
    }

    /** The request is addressed to the sender's own bare JID, or to the sender's own server. */
    private static boolean addressesOwnAccount(StanzaEvent event) {
        Jid to = event.to();
        return event.origin().bare().equals(to) || to.local() == null && to.domain().equals(event.origin().jid().domain());
    }

    private static String rootMessage(Throwable f) {
        Throwable t = f;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    /** Registrations per IP in a sliding window; the map is bounded so that address churn cannot exhaust memory. */
    static final class RegistrationThrottle {
        private static final int MAX_TRACKED = 100_000;
        private final int limit;
        private final Duration window;
        private final Map<String, Deque<Instant>> byIp = new LinkedHashMap<>(16, 0.75f, true);

        RegistrationThrottle(int limit, Duration window) {
            this.limit = limit;
            this.window = window;
        }

        synchronized boolean allow(String ip, Instant now) {
            Deque<Instant> times = byIp.computeIfAbsent(ip, k -> new ArrayDeque<>());
            while (!times.isEmpty() && times.peekFirst().isBefore(now.minus(window))) {
                times.pollFirst();
            }
            if (times.size() >= limit) {
                return false;
            }
            times.addLast(now);
            if (byIp.size() > MAX_TRACKED) {
                byIp.remove(byIp.keySet().iterator().next());
            }
            return true;
        }
    }
}
