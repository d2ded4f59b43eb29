package org.skerry.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The ports tests get are outside what the kernel hands out by itself, and never handed out twice. */
class TestPortsTest {
    @Test
    void portsAreBelowTheEphemeralRangeAndUniqueAcrossBlocks() throws Exception {
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        if (Files.isReadable(range)) {
            try (BufferedReader reader = Files.newBufferedReader(range)) {
                assertThat(TestPorts.END).isEqualTo(Integer.parseInt(reader.readLine().trim().split("\\s+")[0]));
            }
        }
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 250; i++) { // more than two blocks
            int port = TestPorts.next();
            assertThat(port).isBetween(20_000, TestPorts.END - 1);
            assertThat(seen.add(port)).as("port %d handed out twice", port).isTrue();
        }
    }
}
