package org.skerry.server.control;

import java.util.List;
import org.skerry.server.Accounts;
import org.skerry.server.xmpp.Jid;

/**
 * The account commands of the CLI, run either directly on the database (node stopped) or inside the node
 * (through the control socket). Returns the text to show; throws {@link IllegalArgumentException} for bad input
 * and {@link IllegalStateException} for a refused operation.
 */
public final class AccountCommands implements ControlCommand {
    private final Accounts accounts;
    private final List<String> domains;

    public AccountCommands(Accounts accounts, List<String> domains) {
        this.accounts = accounts;
        this.domains = domains;
    }

    @Override
    public String run(List<String> words, String password) {
        if (words.size() < 2 || !words.get(0).equals("user")) {
            throw new IllegalArgumentException("unknown command: " + String.join(" ", words));
        }
        String verb = words.get(1);
        switch (verb) {
            case "add" -> {
                Jid jid = account(words);
                if (!accounts.create(jid, requirePassword(password))) {
                    throw new IllegalStateException(jid + " already exists");
                }
                return "Added " + jid;
            }
            case "passwd" -> {
                Jid jid = account(words);
                if (!accounts.changePassword(jid, requirePassword(password))) {
                    throw new IllegalStateException(jid + " does not exist");
                }
                return "Changed the password of " + jid;
            }
            case "del" -> {
                Jid jid = account(words);
                if (!accounts.delete(jid)) {
                    throw new IllegalStateException(jid + " does not exist");
                }
                return "Deleted " + jid;
            }
            case "list" -> {
                List<String> which = words.size() > 2 ? List.of(words.get(2)) : domains;
                StringBuilder out = new StringBuilder();
                for (String domain : which) {
                    if (!domains.contains(domain)) {
                        throw new IllegalArgumentException("this node does not serve " + domain);
                    }
                    for (String user : accounts.list(domain)) {
                        out.append(user).append('@').append(domain).append('\n');
                    }
                }
                return out.toString().stripTrailing();
            }
            default -> throw new IllegalArgumentException("unknown user command: " + verb);
        }
    }

    private Jid account(List<String> words) {
        if (words.size() != 3) {
            throw new IllegalArgumentException("expected one account JID");
        }
        String problem = checkAccount(words.get(2), domains);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return Jid.parse(words.get(2));
    }

    /** Why {@code text} is not an account JID on one of {@code domains}, or null if it is one. */
    public static String checkAccount(String text, List<String> domains) {
        Jid jid = Jid.parseOrNull(text);
        if (jid == null) {
            return "not a valid JID: " + text;
        }
        if (jid.local() == null || jid.resource() != null) {
            return "expected a bare account JID like alice@" + domains.get(0);
        }
        if (!domains.contains(jid.domain())) {
            return "this node does not serve " + jid.domain() + " (domains: " + domains + ")";
        }
        return null;
    }

    private static String requirePassword(String password) {
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("a password is required");
        }
        return password;
    }
}
