package org.skerry.interop.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.skerry.interop.HonestUsers;
import org.skerry.interop.TestNode;

/**
 * 300 connections that never finish their stream header (half send nothing, half a cut-off header): the node
 * keeps serving honest users while they hang, and closes them itself once {@code c2s.handshake_timeout} passes.
 */
class HalfOpenConnectionsTest {
    static final int CONNECTIONS = 300;
    static final String PARTIAL_HEADER = "<?xml version='1.0'?><stream:stream to='" + TestNode.DOMAIN
            + "' xmlns='jabber:client' xmlns:str";

    @Test
    void honestUsersAreServedWhileThreeHundredConnectionsHang() throws Exception {
        try (TestNode node = TestNode.start()) {
            HonestUsers honest = HonestUsers.prepare(node);
            List<Socket> hanging = open(node);
            try {
                honest.assertStillServed();
                for (Socket socket : hanging) {
                    assertThat(silentAndOpen(socket)).as("a hanging connection is still open").isTrue();
                }
            } finally {
                closeAll(hanging);
            }
        }
    }

    @Test
    void hangingConnectionsAreClosedAfterTheHandshakeTimeout() throws Exception {
        int timeoutSeconds = 3;
        try (TestNode node = TestNode.start("c2s.handshake_timeout=\"" + timeoutSeconds + "s\"")) {
            HonestUsers honest = HonestUsers.prepare(node);
            long opened = System.nanoTime();
            List<Socket> hanging = open(node);
            try {
                for (Socket socket : hanging) {
                    String answer = readUntilEof(socket, opened + 30_000_000_000L);
                    long closedAfterMillis = (System.nanoTime() - opened) / 1_000_000;
                    assertThat(closedAfterMillis).as("closed by the timeout, not at once")
                            .isGreaterThanOrEqualTo(timeoutSeconds * 1000L - 500);
                    assertThat(answer).contains("<connection-timeout xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>")
                            .endsWith("</stream:stream>");
                }
            } finally {
                closeAll(hanging);
            }
            honest.assertStillServed();
        }
    }

    private static List<Socket> open(TestNode node) throws IOException {
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            Socket socket = new Socket(InetAddress.getLoopbackAddress(), node.port());
            if (i % 2 == 1) {
                socket.getOutputStream().write(PARTIAL_HEADER.getBytes(StandardCharsets.UTF_8));
            }
            sockets.add(socket);
        }
        return sockets;
    }

    private static boolean silentAndOpen(Socket socket) throws IOException {
        socket.setSoTimeout(5);
        try {
            socket.getInputStream().read();
            return false; // data or EOF
        } catch (SocketTimeoutException e) {
            return true;
        }
    }

    /** All the node sent until it closed, or an AssertionError at the deadline. */
    private static String readUntilEof(Socket socket, long deadlineNanos) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        while (true) {
            long remainingMillis = (deadlineNanos - System.nanoTime()) / 1_000_000;
            if (remainingMillis <= 0) {
                throw new AssertionError("still open at the deadline; received: " + received.toString(StandardCharsets.UTF_8));
            }
            socket.setSoTimeout((int) remainingMillis);
            int count = in.read(buffer);
            if (count < 0) {
                return received.toString(StandardCharsets.UTF_8);
            }
            received.write(buffer, 0, count);
        }
    }

    private static void closeAll(List<Socket> sockets) {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // the node may have closed it first
            }
        }
    }
}
