package org.skerry.distribution;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.skerry.server.Node;
import org.skerry.server.config.SkerryConfig;
import picocli.CommandLine;

/** {@code skerry start}: runs a node in the foreground until it is stopped (SIGTERM or Ctrl-C). */
@CommandLine.Command(name = "start", description = "Run a node in the foreground.")
final class StartCommand implements Callable<Integer> {
    @CommandLine.Mixin
    ConfigOptions options = new ConfigOptions();

    @Override
    public Integer call() throws InterruptedException {
        SkerryConfig config = options.loadOrReport();
        if (config == null) {
            return Main.USAGE;
        }
        Logging.apply(config.log().level().name());
        NodeRunner runner;
        try {
            runner = NodeRunner.start(config);
        } catch (RuntimeException e) {
            System.err.println("skerry: the node could not start: " + rootMessage(e));
            return Main.FAILURE;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runner.close();
            stopped.countDown();
        }, "skerry-shutdown"));
        System.out.println(runner.banner());
        stopped.await();
        return Main.OK;
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t.getMessage() + ")";
    }

    /** Keeps {@link Node} construction and its control socket together for {@code start} and for tests. */
    static final class NodeRunner implements AutoCloseable {
        private final Node node;

        private NodeRunner(Node node) { this.node = node; }

        static NodeRunner start(SkerryConfig config) { return new NodeRunner(Node.start(config)); }

        String banner() {
            StringBuilder sb = new StringBuilder("Skerry ").append(node.version()).append(" serving ")
                    .append(String.join(", ", node.domains()));
            if (node.c2sPort() != 0) {
                sb.append("; clients on port ").append(node.c2sPort());
            }
            if (node.c2sDirectTlsPort() != 0) {
                sb.append(" (direct TLS ").append(node.c2sDirectTlsPort()).append(')');
            }
            return sb.append(". Stop with Ctrl-C.").toString();
        }

        @Override
        public void close() { node.close(); }
    }
}
