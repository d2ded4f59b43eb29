package org.skerry.server.net;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The socket layer under every listener and link: Linux's epoll through Netty's native transport where its library
 * loads (bundled for Linux on x86-64 and ARM64), else the JDK's NIO. Event loops and channels must come from the
 * same one, so both are taken from here. On 2 cores epoll took 20-30 % less CPU per message than NIO and lowered
 * the latencies with it (chat at 2000 msg/s: 24.5 against 34.5 µs, p99 0.29 against 0.45 ms; s2s: 151 against
 * 202 µs, p99 2.3 against 2.5 ms; interop-tests/bench, Skerry alone). {@code -Dskerry.transport=nio} keeps NIO,
 * for a system where the native library misbehaves.
 */
public enum Transport {
    EPOLL(EpollServerSocketChannel.class, EpollSocketChannel.class) {
        @Override
        public IoHandlerFactory ioHandlers() { return EpollIoHandler.newFactory(); }
    },
    NIO(NioServerSocketChannel.class, NioSocketChannel.class) {
        @Override
        public IoHandlerFactory ioHandlers() { return NioIoHandler.newFactory(); }
    };

    private static final Logger log = LoggerFactory.getLogger(Transport.class);
    private static final Transport CURRENT = choose(System.getProperty("skerry.transport", ""));
    /** What the native transport puts before an error: the system call and errno ("connect(..) failed: "). */
    private static final Pattern SYSCALL_PREFIX = Pattern.compile("^\\w+\\(\\.\\.\\) failed( with error\\(-?\\d+\\))?: ");

    private final Class<? extends ServerSocketChannel> serverChannel;
    private final Class<? extends SocketChannel> clientChannel;

    Transport(Class<? extends ServerSocketChannel> serverChannel, Class<? extends SocketChannel> clientChannel) {
        this.serverChannel = serverChannel;
        this.clientChannel = clientChannel;
    }

    /** The transport of this process, chosen once. */
    public static Transport current() {
        return CURRENT;
    }

    /** {@code "nio"} forces NIO; anything else takes epoll when it is available. */
    static Transport choose(String wanted) {
        if ("nio".equalsIgnoreCase(wanted)) {
            log.info("Sockets use the JDK's NIO (skerry.transport=nio)");
            return NIO;
        }
        if (Epoll.isAvailable()) {
            return EPOLL;
        }
        log.info("Sockets use the JDK's NIO: Netty's epoll transport is not available here ({})",
                Epoll.unavailabilityCause().toString());
        return NIO;
    }

    /**
     * A socket error as an admin reads it, the same on both transports: "Connection refused: /192.0.2.7:5269"
     * rather than epoll's "finishConnect(..) failed with error(-111): Connection refused: /192.0.2.7:5269".
     */
    public static String describe(Throwable error) {
        String message = error.getMessage();
        return message == null ? error.getClass().getSimpleName() : SYSCALL_PREFIX.matcher(message).replaceFirst("");
    }

    /** Makes the I/O handlers of an event loop group for this transport's channels. */
    public abstract IoHandlerFactory ioHandlers();

    public Class<? extends ServerSocketChannel> serverChannel() { return serverChannel; }

    public Class<? extends SocketChannel> clientChannel() { return clientChannel; }
}
