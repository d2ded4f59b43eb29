package org.skerry.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.skerry.distribution.Cli.Result;
import org.skerry.server.Accounts;
import org.skerry.server.Node;
import org.skerry.server.auth.ScramHash;
import org.skerry.server.config.SkerryConfig;
import org.skerry.server.control.ControlProtocol;
import org.skerry.server.storage.AccountRepository;
import org.skerry.server.storage.Database;

/**
 * {@code skerry user ...} on a stopped node (the CLI opens the database) and on a running one (the CLI must go
 * through the node's control socket, since the embedded database has one owner).
 */
class UserCommandTest {
    @TempDir
    Path dataDir;

    // ---------------------------------------------------------------- node stopped

    @Test
    void addListPasswdDelOnAStoppedNode() throws Exception {
        assertThat(user("secret-1", "add", "alice@localhost")).satisfies(r -> {
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).contains("Added alice@localhost");
        });
        assertThat(user(null, "list").out()).contains("alice@localhost");
        assertThat(canLogIn("alice", "secret-1")).isTrue();

        assertThat(user("secret-2", "passwd", "alice@localhost").exitCode()).isZero();
        assertThat(canLogIn("alice", "secret-2")).isTrue();
        assertThat(canLogIn("alice", "secret-1")).isFalse();

        assertThat(user(null, "del", "alice@localhost").exitCode()).isZero();
        assertThat(user(null, "list").out()).doesNotContain("alice@localhost");
    }

    @Test
    void addingAnExistingAccountIsARuntimeFailure() {
        user("secret", "add", "alice@localhost");

        Result again = user("other", "add", "alice@localhost");

        assertThat(again.exitCode()).isEqualTo(Main.FAILURE);
        assertThat(again.err()).contains("alice@localhost already exists");
        assertThat(canLogIn("alice", "secret")).as("the first password still works").isTrue();
    }

    @Test
    void anAccountOnADomainTheNodeDoesNotServeIsBadUsage() {
        Result result = user("secret", "add", "alice@elsewhere.example");

        assertThat(result.exitCode()).isEqualTo(Main.USAGE);
        assertThat(result.err()).contains("does not serve elsewhere.example");
    }

    @Test
    void changingThePasswordOfNobodyFails() {
        Result result = user("secret", "passwd", "nobody@localhost");

        assertThat(result.exitCode()).isEqualTo(Main.FAILURE);
        assertThat(result.err()).contains("nobody@localhost does not exist");
    }

    @Test
    void anUnknownActionIsBadUsage() {
        Result result = user(null, "rename", "alice@localhost");

        assertThat(result.exitCode()).isEqualTo(Main.USAGE);
        assertThat(result.err()).contains("unknown action 'rename'");
    }

    @Test
    void anEmptyPasswordOnStandardInputIsBadUsage() {
        Result result = user("", "add", "alice@localhost");

        assertThat(result.exitCode()).isEqualTo(Main.USAGE);
        assertThat(user(null, "list").out()).doesNotContain("alice@localhost");
    }

    // ---------------------------------------------------------------- node running

    @Test
    void whileTheNodeRunsTheCliGoesThroughItAndTheAccountCanLogIn() throws Exception {
        try (Node node = Node.start(config(List.of("admins=[]", "c2s.port=0", "c2s.direct_tls_port=0",
                "federation.enabled=false")))) {
            // While it runs the node owns the H2 file: the CLI can only have acted through this socket.
            assertThat(ControlProtocol.socketPath(dataDir)).exists();
            Result added = user("secret-1", "add", "bob@localhost");
            assertThat(added.exitCode()).as(added.err()).isZero();
            assertThat(added.out()).contains("Added bob@localhost");
            assertThat(node.accounts().credentialLookup("localhost").find("bob", ScramHash.SHA_256))
                    .hasValueSatisfying(credential -> assertThat(credential.matchesPassword("secret-1")).isTrue());

            assertThat(user(null, "list").out()).contains("bob@localhost");
            assertThat(user("x", "add", "bob@localhost").exitCode()).isEqualTo(Main.FAILURE);
            assertThat(user("x", "add", "bob@elsewhere.example").exitCode()).isEqualTo(Main.USAGE);

            assertThat(user("secret-2", "passwd", "bob@localhost").exitCode()).isZero();
            assertThat(node.accounts().credentialLookup("localhost").find("bob", ScramHash.SHA_256))
                    .hasValueSatisfying(credential -> assertThat(credential.matchesPassword("secret-2")).isTrue());

            assertThat(user(null, "del", "bob@localhost").exitCode()).isZero();
            assertThat(node.accounts().exists(org.skerry.server.xmpp.Jid.of("bob", "localhost"))).isFalse();
        }
    }

    // ---------------------------------------------------------------- helpers

    /** {@code skerry user ACTION [JID] [--password-stdin] --set data_dir=...} with the password on stdin. */
    private Result user(String password, String... actionAndJid) {
        List<String> args = new ArrayList<>(List.of("user"));
        args.addAll(Arrays.asList(actionAndJid));
        if (password != null) {
            args.add("--password-stdin");
        }
        for (String set : sets()) {
            args.add("--set");
            args.add(set);
        }
        return Cli.runWithInput(password == null ? "" : password + "\n", args.toArray(String[]::new));
    }

    private List<String> sets() {
        return List.of("data_dir=" + dataDir, "auth.scram_iterations=4096");
    }

    private SkerryConfig config(List<String> more) throws Exception {
        List<String> all = new ArrayList<>(sets());
        all.addAll(more);
        return SkerryConfig.load(null, all, Map.of());
    }

    /** Whether SASL would accept this password, read straight from the stopped node's database. */
    private boolean canLogIn(String username, String password) {
        try {
            SkerryConfig config = config(List.of());
            try (Database database = Database.open(config.storage().url(), config.storage().user(),
                    config.storage().password(), 1)) {
                Accounts accounts = new Accounts(new AccountRepository(database), 4096);
                return accounts.credentialLookup("localhost").find(username, ScramHash.SHA_256)
                        .map(credential -> credential.matchesPassword(password)).orElse(false);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
