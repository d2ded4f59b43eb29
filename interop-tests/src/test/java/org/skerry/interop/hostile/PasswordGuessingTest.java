package org.skerry.interop.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.skerry.interop.HonestUsers;
import org.skerry.interop.RawXmppClient;
import org.skerry.interop.RawXmppClient.SaslOutcome;
import org.skerry.interop.TestNode;
import org.skerry.server.auth.ScramClient;

/**
 * 30 wrong passwords in a row, each on a fresh TLS connection with SCRAM-SHA-256, against small configured
 * throttle limits: the first failures are {@code <not-authorized/>}, then {@code <temporary-auth-failure/>},
 * even for the right password. The throttle is scoped: other accounts, and other addresses, still log in.
 * Attackers come from their own loopback addresses (127.0.0.2, 127.0.0.3) so that the per-IP count of the honest
 * users on 127.0.0.1 stays untouched.
 */
class PasswordGuessingTest {
    static final int PER_IP = 10;
    static final int PER_ACCOUNT = 5;
    static final int GUESSES = 30;
    static TestNode node;

    @BeforeAll
    static void start() {
        node = TestNode.start("auth.max_failures_per_ip=" + PER_IP, "auth.max_failures_per_account=" + PER_ACCOUNT,
                "auth.failure_window=\"10m\"");
        node.createUser("victim", "victim-secret");
        node.createUser("bystander", "bystander-secret");
        node.createUser("neighbour", "neighbour-secret");
    }

    @AfterAll
    static void stop() { node.close(); }

    @Test
    void guessingOneAccountThrottlesThatAccountOnly() throws Exception {
        HonestUsers honest = HonestUsers.prepare(node);
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < GUESSES; i++) {
            answers.add(attempt("127.0.0.3", "victim", "guess-" + i));
        }
        assertThat(answers).isEqualTo(expected(PER_ACCOUNT));
        assertThat(attempt("127.0.0.3", "victim", "victim-secret"))
                .as("the account stays throttled for the window, even with the right password")
                .isEqualTo("temporary-auth-failure");
        assertThat(attempt("127.0.0.3", "bystander", "bystander-secret"))
                .as("another account from the same address (below its per-IP limit)").isEqualTo("success");
        honest.assertStillServed();
    }

    @Test
    void guessingManyAccountsFromOneAddressThrottlesThatAddressOnly() throws Exception {
        HonestUsers honest = HonestUsers.prepare(node);
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < GUESSES; i++) {
            answers.add(attempt("127.0.0.2", "nobody-" + i, "guess-" + i));
        }
        assertThat(answers).isEqualTo(expected(PER_IP));
        assertThat(attempt("127.0.0.2", "neighbour", "neighbour-secret"))
                .as("the address stays throttled for the window").isEqualTo("temporary-auth-failure");
        assertThat(attempt("127.0.0.1", "neighbour", "neighbour-secret"))
                .as("the same account from another address").isEqualTo("success");
        honest.assertStillServed();
    }

    /** {@code allowed} times not-authorized, then temporary-auth-failure for the rest of the guesses. */
    private static List<String> expected(int allowed) {
        List<String> answers = new ArrayList<>(Collections.nCopies(allowed, "not-authorized"));
        answers.addAll(Collections.nCopies(GUESSES - allowed, "temporary-auth-failure"));
        return answers;
    }

    /** One login attempt on a fresh connection; "success" or the SASL failure condition. */
    private static String attempt(String fromAddress, String user, String password) {
        try (RawXmppClient client = RawXmppClient.connectFrom(node, fromAddress, 0)) {
            client.openStream();
            client.startTls();
            SaslOutcome outcome = client.authenticate(new ScramClient("SCRAM-SHA-256", user, password));
            if (outcome.succeeded()) {
                assertThat(outcome.serverSignatureVerified()).isTrue();
                return "success";
            }
            return outcome.failureCondition();
        }
    }
}
