package org.skerry.distribution;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.skerry.server.Accounts;
import org.skerry.server.config.SkerryConfig;
import org.skerry.server.control.AccountCommands;
import org.skerry.server.control.ControlClient;
import org.skerry.server.control.ControlServer;
import org.skerry.server.storage.AccountRepository;
import org.skerry.server.storage.Database;
import picocli.CommandLine;

/**
 * {@code skerry user add|passwd|del|list}. While the node runs, the request goes through its control socket
 * (the embedded database has one owner process); when it is stopped, the CLI opens the database itself.
 */
@CommandLine.Command(name = "user", description = "Manage accounts: add, passwd, del, list.")
final class UserCommand implements Callable<Integer> {
    @CommandLine.Mixin
    ConfigOptions options = new ConfigOptions();

    @CommandLine.Parameters(index = "0", paramLabel = "ACTION", description = "add, passwd, del or list")
    String action;

    @CommandLine.Parameters(index = "1", arity = "0..1", paramLabel = "JID", description = "the account (a domain for list)")
    String target;

    @CommandLine.Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
    boolean passwordFromStdin;

    @Override
    public Integer call() {
        if (!List.of("add", "passwd", "del", "list").contains(action)) {
            System.err.println("skerry: unknown action '" + action + "' (add, passwd, del, list)");
            return Main.USAGE;
        }
        if (target == null && !action.equals("list")) {
            System.err.println("skerry: name the account, e.g. skerry user " + action + " alice@localhost");
            return Main.USAGE;
        }
        SkerryConfig config = options.loadOrReport();
        if (config == null) {
            return Main.USAGE;
        }
        List<String> words = new ArrayList<>(Arrays.asList("user", action));
        if (target != null) {
            words.add(target);
        }
        if (target != null && !action.equals("list")) {
            String problem = AccountCommands.checkAccount(target, config.domains());
            if (problem != null) {
                System.err.println("skerry: " + problem);
                return Main.USAGE;
            }
        }
        String password = null;
        if (ControlServer.needsPassword(words)) {
            try {
                password = readPassword();
            } catch (IOException | IllegalStateException e) {
                System.err.println("skerry: " + e.getMessage());
                return Main.USAGE;
            }
        }
        try {
            Optional<ControlClient.Answer> viaNode = ControlClient.send(config.dataDir(), words, password);
            if (viaNode.isPresent()) {
                return report(viaNode.get().ok(), viaNode.get().text());
            }
            try (Database database = Database.open(config.storage().url(), config.storage().user(),
                    config.storage().password(), 1)) {
                Accounts accounts = new Accounts(new AccountRepository(database), config.auth().scramIterations());
                return report(true, new AccountCommands(accounts, config.domains()).run(words, password));
            }
        } catch (IllegalArgumentException e) {
            System.err.println("skerry: " + e.getMessage());
            return Main.USAGE;
        } catch (IllegalStateException e) {
            System.err.println("skerry: " + e.getMessage());
            return Main.FAILURE;
        } catch (IOException | RuntimeException e) {
            System.err.println("skerry: " + StartCommand.rootMessage(e));
            return Main.FAILURE;
        }
    }

    private static int report(boolean ok, String text) {
        if (ok) {
            if (!text.isEmpty()) {
                System.out.println(text);
            }
            return Main.OK;
        }
        System.err.println("skerry: " + text);
        return text.startsWith("unknown") || text.startsWith("not a valid") || text.startsWith("expected")
                || text.startsWith("this node does not serve") || text.startsWith("a password") ? Main.USAGE : Main.FAILURE;
    }

    private String readPassword() throws IOException {
        if (passwordFromStdin) {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isEmpty()) {
                throw new IllegalStateException("no password on standard input");
            }
            return line;
        }
        Console console = System.console();
        if (console == null) {
            throw new IllegalStateException("no terminal to ask for the password: use --password-stdin");
        }
        char[] first = console.readPassword("Password: ");
        char[] second = console.readPassword("Again: ");
        if (first == null || second == null || !Arrays.equals(first, second)) {
            throw new IllegalStateException("the passwords differ");
        }
        return new String(first);
    }
}
