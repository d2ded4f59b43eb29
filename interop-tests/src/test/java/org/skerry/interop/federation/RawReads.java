package org.skerry.interop.federation;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.skerry.server.xml.XmlStreamParser;

/** One bounded read from a raw test connection into its XML parser, shared by the raw s2s test peers. */
final class RawReads {
    private RawReads() {}

    /**
     * Feeds what arrives before {@code deadline} (System.nanoTime) to {@code parser}; returns false when the
     * connection ended. Nothing arriving in time is not an end: the caller looks again or times out.
     */
    static boolean readSome(Socket socket, InputStream in, byte[] buffer, XmlStreamParser parser, long deadline)
            throws IOException {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw new AssertionError("timed out waiting for the node");
        }
        socket.setSoTimeout((int) Math.max(1, remaining / 1_000_000));
        int count;
        try {
            count = in.read(buffer);
        } catch (SocketTimeoutException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
        if (count < 0) {
            return false;
        }
        parser.feed(buffer, 0, count);
        return true;
    }
}
