package org.skerry.server.im;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.skerry.server.ServerContext;
import org.skerry.server.module.Implements;
import org.skerry.server.module.Module;
import org.skerry.server.module.ModuleContext;
import org.skerry.server.routing.StanzaEvent;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Jid;
import org.skerry.server.xmpp.StanzaError;
import org.skerry.server.xmpp.Stanzas;

/**
 * XEP-0050 ad-hoc commands carrying the XEP-0133 service administration commands: add-user, delete-user,
 * change-user-password and get-online-users-num. Only the configured admins see or run them.
 */
@Implements(spec = "XEP-0050", version = "1.3.0")
@Implements(spec = "XEP-0133", version = "1.3.1", note = "add-user, delete-user, change-user-password, get-online-users-num")
public final class AdminCommandsModule implements Module {
    static final String NS = "http://jabber.org/protocol/commands";
    static final String ADMIN = "http://jabber.org/protocol/admin";
    private static final int MAX_OPEN_SESSIONS = 1000;

    private interface Command {
        /** The form to fill in, or null when the command runs at once. */
        Element form();

        /** Runs with the submitted form (blocking, on the storage pool); returns the completed command's content. */
        Element run(Element submitted, String domain) throws CommandException;
    }

    private record Entry(String name, Command command) {}

    private static final class CommandException extends Exception {
        private static final long serialVersionUID = 1L;
        final StanzaError condition;

        CommandException(StanzaError condition, String message) {
            super(message);
            this.condition = condition;
        }
    }

    private ServerContext server;
    private final Map<String, Entry> commands = new LinkedHashMap<>();
    private final Map<String, String> openSessions = new ConcurrentHashMap<>();

    @Override
    public void start(ModuleContext context) {
        server = context.server();
        commands.put(ADMIN + "#add-user", new Entry("Add a user", new AddUser()));
        commands.put(ADMIN + "#delete-user", new Entry("Delete users", new DeleteUsers()));
        commands.put(ADMIN + "#change-user-password", new Entry("Change a user's password", new ChangePassword()));
        commands.put(ADMIN + "#get-online-users-num", new Entry("Get the number of online users", new OnlineCount()));
        context.advertise(NS);
        context.onIq(NS, this::execute);
        context.on(DiscoModule.NODE_ITEMS, 0, request -> {
            if (!NS.equals(request.node())) {
                return false;
            }
            if (isAdmin(request.request().from())) {
                String host = request.request().to().domain();
                commands.forEach((node, entry) -> request.query().addChild("item").attr("jid", host)
                        .attr("node", node).attr("name", entry.name()));
            }
            return true;
        });
        context.on(DiscoModule.NODE_INFO, 0, request -> {
            if (!commands.containsKey(request.node()) && !NS.equals(request.node())) {
                return false;
            }
            if (NS.equals(request.node())) {
                request.query().addChild("identity").attr("category", "automation").attr("type", "command-list");
            } else {
                request.query().addChild("identity").attr("category", "automation").attr("type", "command-node")
                        .attr("name", commands.get(request.node()).name());
                request.query().addChild("feature").attr("var", DataForms.NS);
            }
            request.query().addChild("feature").attr("var", NS);
            return true;
        });
    }

    private boolean isAdmin(Jid jid) {
        return jid != null && server.config().admins().contains(jid.bare().toString());
    }

    private void execute(StanzaEvent event) {
        Element iq = event.stanza();
        Element command = iq.firstElement();
        String node = command.attr("node");
        Entry entry = node == null ? null : commands.get(node);
        if (!"set".equals(iq.attr("type")) || entry == null) {
            server.router().bounce(iq, entry == null ? StanzaError.ITEM_NOT_FOUND : StanzaError.BAD_REQUEST);
            return;
        }
        if (!isAdmin(event.from())) {
            server.router().bounce(iq, StanzaError.FORBIDDEN, "Only admins run this command");
            return;
        }
        String action = command.attr("action") == null ? "execute" : command.attr("action");
        String sessionId = command.attr("sessionid");
        if (sessionId != null && !node.equals(openSessions.get(sessionId))) {
            Element error = Stanzas.error(iq, StanzaError.BAD_REQUEST);
            error.child("error", iq.namespace()).addChild("bad-sessionid", NS);
            server.router().reply(event, error);
            return;
        }
        if (action.equals("cancel")) {
            openSessions.remove(sessionId == null ? "" : sessionId);
            server.router().reply(event, response(iq, node, sessionId, "canceled"));
            return;
        }
        Element submitted = command.child("x", DataForms.NS);
        Element form = entry.command().form();
        if (form != null && (submitted == null || !"submit".equals(submitted.attr("type")))) {
            if (openSessions.size() >= MAX_OPEN_SESSIONS) {
                openSessions.clear(); // abandoned forms; a fresh start is harmless
            }
            String newSession = Long.toHexString(Double.doubleToLongBits(Math.random())) + System.nanoTime();
            openSessions.put(newSession, node);
            Element out = response(iq, node, newSession, "executing");
            Element cmd = out.firstElement();
            cmd.addChild("actions").attr("execute", "complete").addChild("complete");
            cmd.add(form);
            server.router().reply(event, out);
            return;
        }
        if (sessionId != null) {
            openSessions.remove(sessionId);
        }
        String domain = event.to().domain();
        server.storage().run("admin-commands", () -> {
            try {
                Element content = entry.command().run(submitted, domain);
                Element out = response(iq, node, sessionId == null ? "done" : sessionId, "completed");
                for (Element child : content.elements()) {
                    out.firstElement().add(child);
                }
                server.router().reply(event, out);
            } catch (CommandException e) {
                Element error = Stanzas.error(iq, e.condition, e.getMessage());
                server.router().reply(event, error);
            }
            return null;
        });
    }

    private static Element response(Element iq, String node, String sessionId, String status) {
        Element result = Stanzas.iqResult(iq);
        result.addChild("command", NS).attr("node", node).attr("sessionid", sessionId).attr("status", status);
        return result;
    }

    private static Element note(String text) {
        Element content = new Element("content", NS);
        content.addChild("note").attr("type", "info").addText(text);
        return content;
    }

    private Jid account(String value, String domain) throws CommandException {
        Jid jid = Jid.parseOrNull(value == null ? null : value.trim());
        if (jid == null || jid.local() == null || jid.resource() != null) {
            throw new CommandException(StanzaError.BAD_REQUEST, "Not a bare account JID: " + value);
        }
        if (!server.isLocalDomain(jid.domain())) {
            throw new CommandException(StanzaError.NOT_ALLOWED, "This server does not serve " + jid.domain());
        }
        return jid;
    }

    private final class AddUser implements Command {
        @Override public Element form() {
            Element x = DataForms.form("form", "Adding a user", ADMIN);
            DataForms.required(DataForms.field(x, "accountjid", "jid-single", "The Jabber ID for the account to be added"));
            DataForms.required(DataForms.field(x, "password", "text-private", "The password for this account"));
            DataForms.required(DataForms.field(x, "password-verify", "text-private", "Retype password"));
            return x;
        }

        @Override public Element run(Element form, String domain) throws CommandException {
            Jid jid = account(DataForms.value(form, "accountjid"), domain);
            String password = DataForms.value(form, "password");
            String verify = DataForms.value(form, "password-verify");
            if (password == null || password.isEmpty() || verify != null && !verify.equals(password)) {
                throw new CommandException(StanzaError.NOT_ACCEPTABLE, "The passwords are empty or do not match");
            }
            if (!server.accounts().create(jid, password)) {
                throw new CommandException(StanzaError.CONFLICT, "The account already exists");
            }
            return note("Added " + jid);
        }
    }

    private final class DeleteUsers implements Command {
        @Override public Element form() {
            Element x = DataForms.form("form", "Deleting users", ADMIN);
            DataForms.required(DataForms.field(x, "accountjids", "jid-multi", "The Jabber ID(s) to delete"));
            return x;
        }

        @Override public Element run(Element form, String domain) throws CommandException {
            List<Jid> accounts = new ArrayList<>();
            for (String value : DataForms.values(form, "accountjids")) {
                accounts.add(account(value, domain));
            }
            if (accounts.isEmpty()) {
                throw new CommandException(StanzaError.BAD_REQUEST, "No account named");
            }
            List<String> missing = new ArrayList<>();
            for (Jid jid : accounts) {
                if (!server.accounts().delete(jid)) {
                    missing.add(jid.toString());
                }
            }
            return note(missing.isEmpty() ? "Deleted " + accounts.size() + " account(s)"
                    : "Deleted; these did not exist: " + String.join(", ", missing));
        }
    }

    private final class ChangePassword implements Command {
        @Override public Element form() {
            Element x = DataForms.form("form", "Changing a user's password", ADMIN);
            DataForms.required(DataForms.field(x, "accountjid", "jid-single", "The Jabber ID whose password will change"));
            DataForms.required(DataForms.field(x, "password", "text-private", "The new password"));
            return x;
        }

        @Override public Element run(Element form, String domain) throws CommandException {
            Jid jid = account(DataForms.value(form, "accountjid"), domain);
            String password = DataForms.value(form, "password");
            if (password == null || password.isEmpty()) {
                throw new CommandException(StanzaError.NOT_ACCEPTABLE, "The password is empty");
            }
            if (!server.accounts().changePassword(jid, password)) {
                throw new CommandException(StanzaError.ITEM_NOT_FOUND, "No such account");
            }
            return note("Changed the password of " + jid);
        }
    }

    private final class OnlineCount implements Command {
        @Override public Element form() { return null; }

        @Override public Element run(Element form, String domain) {
            Element content = new Element("content", NS);
            Element x = DataForms.form("result", null, ADMIN);
            DataForms.field(x, "onlineusersnum", "text-single", "The number of online users")
                    .addChild("value").addText(Integer.toString(server.sessions().all(domain).stream()
                            .map(s -> s.bare()).distinct().toList().size()));
            content.add(x);
            return content;
        }
    }
}
