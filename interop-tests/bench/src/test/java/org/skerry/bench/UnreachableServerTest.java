package org.skerry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.jr.ob.JSON;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.skerry.interop.TestPorts;

/** A server that is not there, or that accepts and never answers, ends the run with errors instead of hanging it. */
class UnreachableServerTest {
    @TempDir
    Path dir;

    @Test
    void nothingListeningMeansTheScenarioCannotRun() {
        long start = System.nanoTime();
        int exit = Main.execute("idle", "--port", Integer.toString(TestPorts.next()), "--domain", "nowhere.test", "--clients", "5");
        assertThat(exit).isEqualTo(1);
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(10);
    }

    @Test
    void aSilentServerTimesEveryLoginOutWithAReason() throws Exception {
        List<Socket> accepted = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // keep them open, say nothing
                    }
                } catch (Exception closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Path out = dir.resolve("idle.json");
            long start = System.nanoTime();
            int exit = Main.execute("idle", "--port", Integer.toString(silent.getLocalPort()), "--domain", "silent.test",
                    "--clients", "3", "--hold", "1s", "--login-timeout", "2s", "--out", out.toString());
            assertThat(exit).isZero();
            assertThat((System.nanoTime() - start) / 1e9).isLessThan(15);
            Map<String, Object> result = JSON.std.mapFrom(Files.readString(out));
            assertThat(result.get("errors")).isEqualTo(Map.of("timeout:stream", 3));
            assertThat(((Map<?, ?>) result.get("figures")).get("logged_in")).isEqualTo(0.0);
        } finally {
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    @Test
    void badUsageExitsWithTwo() {
        assertThat(Main.execute()).isEqualTo(2);
        assertThat(Main.execute("idle", "--sasl", "DIGEST-MD5")).isEqualTo(2);
        assertThat(Main.execute("idle", "--hold", "soon")).isEqualTo(2);
        assertThat(Main.execute("fly")).isEqualTo(2);
    }
}
