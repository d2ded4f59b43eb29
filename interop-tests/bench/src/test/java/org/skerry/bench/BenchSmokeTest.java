package org.skerry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.skerry.interop.TestPorts;

/**
 * The tool against two real Skerry nodes (child JVMs, federated with dialback over loopback): every scenario at a
 * small size, asserting that everyone logged in, nothing failed, every message arrived and the results were
 * written. The benchmark itself runs on demand; this keeps the tool working.
 */
class BenchSmokeTest {
    private static final String A = "a.bench.test";
    private static final String B = "b.bench.test";

    @TempDir
    static Path dir;
    static SkerryNode a;
    static SkerryNode b;

    @BeforeAll
    static void startNodes() throws Exception {
        int s2sA = TestPorts.next();
        int s2sB = TestPorts.next();
        a = SkerryNode.launch(A, TestPorts.next(), Files.createDirectories(dir.resolve("a")), federation(s2sA, B, s2sB));
        b = SkerryNode.launch(B, TestPorts.next(), Files.createDirectories(dir.resolve("b")), federation(s2sB, A, s2sA));
        a.awaitListening();
        b.awaitListening();
    }

    private static List<String> federation(int ownPort, String peer, int peerPort) {
        return List.of("federation.enabled=true", "federation.bind=\"127.0.0.1\"", "federation.port=" + ownPort,
                "federation.direct_tls_port=0", "federation.dns=false", "federation.auth=\"dialback\"",
                "federation.hosts." + peer + "=127.0.0.1:" + peerPort);
    }

    @AfterAll
    static void stopNodes() throws InterruptedException {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    @Test
    void everyScenarioRunsCleanAgainstANode() throws IOException {
        Path results = Files.createDirectories(dir.resolve("results"));
        assertThat(bench("register", a, "--clients", "200", "--out", results.resolve("register.json"))).isZero();
        Map<String, Object> register = read(results.resolve("register.json"));
        assertThat(figure(register, "registered")).isEqualTo(200);
        assertThat(register.get("errors")).isEqualTo(Map.of());

        // Skerry offers PLAIN only inside TLS, so plaintext logins use SCRAM-SHA-1.
        assertThat(bench("idle", a, "--clients", "200", "--hold", "10s", "--sasl", "SCRAM-SHA-1",
                "--server-pid", Long.toString(a.pid()), "--jvm-server", "--out", results.resolve("idle.json"))).isZero();
        Map<String, Object> idle = read(results.resolve("idle.json"));
        assertThat(figure(idle, "logged_in")).isEqualTo(200);
        assertThat(figure(idle, "still_logged_in_at_end")).isEqualTo(200);
        assertThat(idle.get("errors")).isEqualTo(Map.of());
        assertThat(figure(idle, "logins_per_s")).isPositive();
        assertThat(figure(idle, "login_p99_ms")).isPositive();
        assertThat(figure(idle, "server_rss_per_connection_kib")).isNotNull();
        assertThat(figure(idle, "server_heap_end_kib")).isPositive();
        assertThat(figure(idle, "server_cpu_login_s")).isPositive();

        assertThat(bench("chat", a, "--clients", "200", "--sasl", "SCRAM-SHA-1", "--start-rate", "500", "--step", "0",
                "--step-duration", "3s", "--grace", "3s", "--server-pid", Long.toString(a.pid()),
                "--out", results.resolve("chat.json"))).isZero();
        Map<String, Object> chat = read(results.resolve("chat.json"));
        assertThat(chat.get("errors")).isEqualTo(Map.of());
        assertThat(figure(chat, "senders")).isEqualTo(200);
        assertThat(figure(chat, "at_500_delivered_share")).isEqualTo(1.0);
        assertThat(figure(chat, "max_kept_up_msg_per_s")).isEqualTo(500);
        assertThat(figure(chat, "at_500_server_cpu_us_per_msg")).isPositive();
        List<?> steps = (List<?>) chat.get("steps");
        assertThat(steps).hasSize(1);
        Map<?, ?> step = (Map<?, ?>) steps.get(0);
        assertThat(((Number) step.get("offered")).longValue()).isBetween(1450L, 1550L);
        assertThat(step.get("delivered")).isEqualTo(step.get("offered"));

        assertThat(bench("storm", a, "--clients", "50", "--tls", "starttls", "--server-pid", Long.toString(a.pid()),
                "--out", results.resolve("storm.json"))).isZero();
        Map<String, Object> storm = read(results.resolve("storm.json"));
        assertThat(storm.get("errors")).isEqualTo(Map.of());
        assertThat(figure(storm, "reconnected")).isEqualTo(50);
        assertThat(figure(storm, "reconnect_all_back_s")).isPositive();
        assertThat(figure(storm, "server_rss_peak_kib")).isPositive();

        Path markdown = dir.resolve("report.md");
        assertThat(Main.execute("report", "--in", results.toString(), "--out", markdown.toString())).isZero();
        assertThat(Files.readString(markdown)).contains("## register", "## idle SCRAM-SHA-1 plaintext",
                "## chat SCRAM-SHA-1 plaintext", "## storm PLAIN STARTTLS", "| logins_per_s | higher |",
                "| step 500 msg/s: p99_ms | lower |");
    }

    @Test
    void s2sRelaysBothWaysBetweenTwoNodes() throws IOException {
        assertThat(bench("register", a, "--clients", "20", "--user-pattern", "relay%d")).isZero();
        assertThat(bench("register", b, "--clients", "20", "--user-pattern", "relay%d")).isZero();
        Path out = dir.resolve("s2s.json");
        assertThat(bench("s2s", a, "--host2", "127.0.0.1", "--port2", Integer.toString(b.port()), "--domain2", B,
                "--user-pattern", "relay%d", "--clients", "40", "--sasl", "SCRAM-SHA-1", "--rate", "200",
                "--duration", "3s", "--grace", "3s", "--server-pid", Long.toString(a.pid()),
                "--server-pid", Long.toString(b.pid()), "--out", out)).isZero();
        Map<String, Object> s2s = read(out);
        assertThat(s2s.get("errors")).isEqualTo(Map.of());
        assertThat(figure(s2s, "logged_in")).isEqualTo(40);
        assertThat(figure(s2s, "warmup_delivered")).isEqualTo(20);
        assertThat(figure(s2s, "at_200_delivered_share")).isEqualTo(1.0);
        assertThat(figure(s2s, "at_200_server1_cpu_s")).isPositive();
        assertThat(figure(s2s, "at_200_server2_cpu_s")).isPositive();
    }

    private static int bench(String scenario, SkerryNode node, Object... options) {
        List<String> args = new ArrayList<>(List.of(scenario, "--host", "127.0.0.1", "--port", Integer.toString(node.port()),
                "--domain", node.domain(), "--label", "skerry", "--timeout", "60s", "--login-timeout", "20s"));
        for (Object option : options) {
            args.add(option.toString());
        }
        return Main.execute(args.toArray(new String[0]));
    }

    private static Map<String, Object> read(Path json) throws IOException {
        return JSON.std.mapFrom(Files.readString(json));
    }

    private static Double figure(Map<String, Object> result, String name) {
        Object value = ((Map<?, ?>) result.get("figures")).get(name);
        return value == null ? null : ((Number) value).doubleValue();
    }
}
