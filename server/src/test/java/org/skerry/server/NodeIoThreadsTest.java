package org.skerry.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NodeIoThreadsTest {
    @Test
    void oneClientEventLoopPerCoreUnlessNettysPropertySaysOtherwise() {
        String before = System.getProperty("io.netty.eventLoopThreads");
        try {
            System.clearProperty("io.netty.eventLoopThreads");
            assertThat(Node.ioThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
            System.setProperty("io.netty.eventLoopThreads", "7");
            assertThat(Node.ioThreads()).isEqualTo(7);
        } finally {
            if (before == null) {
                System.clearProperty("io.netty.eventLoopThreads");
            } else {
                System.setProperty("io.netty.eventLoopThreads", before);
            }
        }
    }
}
