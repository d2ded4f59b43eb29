package org.skerry.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports that a test must know before something listens on them (a node's c2s and s2s ports, the
 * federation.hosts of its peers, a peer server's ports).
 *
 * <p>Why not {@code new ServerSocket(0)} and close it: that port comes from the kernel's ephemeral range and is
 * free again once closed, so until the node binds it, anything else that asks for an ephemeral port can get the
 * very same one: another such call, a node's HTTP listener on port 0, another test JVM on this machine. The node
 * then fails with "Address already in use" (seen as FederatedSubscriptionTest failing to start b.test).
 *
 * <p>So: ports below the ephemeral range, which the kernel never hands out by itself; never the same one twice in
 * this JVM; and in blocks that a JVM reserves with a file lock (released by the OS when that JVM ends), so that
 * test runs of several builds at once never share a port. Each port is also checked to be free when handed out.
 */
public final class TestPorts {
    private static final int LOWEST = 20_000;
    private static final int BLOCK = 100;
    private static final Path LOCKS = Path.of(System.getProperty("java.io.tmpdir"), "skerry-test-ports");
    static final int END = ephemeralRangeStart();
    /** Held for the life of the JVM: the OS releases them when it exits, however it exits. */
    private static final List<FileLock> RESERVED = new ArrayList<>();
    private static final Set<Integer> held = new HashSet<>();
    private static int next;
    private static int blockEnd;

    private TestPorts() {}

    /** A loopback port that nothing listens on and nobody else will be given. */
    public static synchronized int next() {
        while (true) {
            if (next >= blockEnd) {
                reserveBlock();
            }
            int port = next++;
            if (isFree(port)) {
                return port;
            }
        }
    }

    private static void reserveBlock() {
        int blocks = (END - LOWEST) / BLOCK;
        int first = ThreadLocalRandom.current().nextInt(blocks);
        try {
            Files.createDirectories(LOCKS);
            for (int i = 0; i < blocks; i++) {
                int block = (first + i) % blocks;
                int start = LOWEST + block * BLOCK;
                if (held.contains(start)) {
                    continue; // ours: opening its file again and closing that would drop our lock (POSIX locks)
                }
                FileChannel channel = FileChannel.open(LOCKS.resolve("block-" + start + ".lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock(); // null while another JVM holds it
                if (lock == null) {
                    channel.close();
                    continue;
                }
                RESERVED.add(lock);
                held.add(start);
                next = start;
                blockEnd = start + BLOCK;
                return;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("every block of test ports between " + LOWEST + " and " + END + " is taken");
    }

    private static boolean isFree(int port) {
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The first port the kernel may pick by itself (Linux: net.ipv4.ip_local_port_range), else Linux's default. */
    private static int ephemeralRangeStart() {
        // Line by line: Files.readString gives only the first byte of this proc file (it reports a size of 0).
        try (BufferedReader range = Files.newBufferedReader(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
            int start = Integer.parseInt(range.readLine().trim().split("\\s+")[0]);
            if (start >= LOWEST + 10 * BLOCK) {
                return start;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or an unusual range: fall back below
        }
        return 32_768; // Linux's default; IANA's range (BSD, Windows) starts higher, at 49152
    }
}
