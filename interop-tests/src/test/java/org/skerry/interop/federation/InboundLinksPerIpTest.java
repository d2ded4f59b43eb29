package org.skerry.interop.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;
import org.skerry.interop.TestNode;

/**
 * federation.max_inbound_links_per_ip: connections from one address beyond the cap are closed at once, while the
 * admitted ones stay open; a slot frees up when one of them closes.
 */
class InboundLinksPerIpTest {
    private static final int CAP = 2;

    @Test
    void connectionsBeyondThePerIpCapAreClosedAtOnce() throws Exception {
        int s2sPort = TestNode.freePort();
        try (TestNode node = TestNode.startServing("a.test", "federation.enabled=true", "federation.bind=\"127.0.0.1\"",
                "federation.port=" + s2sPort, "federation.direct_tls_port=0", "federation.dns=false",
                "federation.max_inbound_links_per_ip=" + CAP);
             Socket first = connect(s2sPort);
             Socket second = connect(s2sPort)) {
            assertStaysOpen(first);
            assertStaysOpen(second);
            try (Socket third = connect(s2sPort)) {
                assertClosedByServer(third);
            }
            second.close();
            try (Socket replacement = connectWhenAdmitted(s2sPort)) {
                assertStaysOpen(replacement);
            }
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return socket;
    }

    /** The release of a closed link is noticed by the server shortly after the close: retry for a few seconds. */
    private static Socket connectWhenAdmitted(int port) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            Socket socket = connect(port);
            socket.setSoTimeout(300);
            try {
                if (socket.getInputStream().read() != -1) {
                    return socket;
                }
            } catch (SocketTimeoutException stillOpen) {
                return socket;
            }
            socket.close();
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no slot freed after a link closed");
            }
            Thread.sleep(100);
        }
    }

    /** An admitted link waits for our stream header (until connect_timeout): nothing to read, and not closed. */
    private static void assertStaysOpen(Socket socket) throws IOException {
        socket.setSoTimeout(700);
        assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
    }

    private static void assertClosedByServer(Socket socket) throws IOException {
        socket.setSoTimeout(5000);
        int read;
        try {
            read = socket.getInputStream().read();
        } catch (java.net.SocketException reset) {
            return; // closed with a reset: refused too
        }
        assertThat(read).as("end of stream from a refused connection").isEqualTo(-1);
    }
}
