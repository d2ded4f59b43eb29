package org.skerry.federation;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.skerry.server.Node;
import org.skerry.server.config.SkerryConfig;
import org.slf4j.LoggerFactory;

/**
 * federation.hosts names a peer that allow-only mode would refuse: most likely a typo in one of the two lists. The
 * node starts (an admin may keep the address of a peer they paused) and names every such entry in a warning.
 */
class AllowListHostsWarningTest {
    @Test
    void eachHostsEntryTheAllowListRefusesIsNamedInAWarningAtStart() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(FederationModule.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try (Node node = Node.start(SkerryConfig.load(null, List.of("domains=[\"a.test\"]", "admins=[]",
                "data_dir=\"" + Files.createTempDirectory("skerry-allowlist") + "\"", "c2s.port=0",
                "c2s.direct_tls_port=0", "http.bind=\"127.0.0.1:0\"", "federation.enabled=true", "federation.port=0",
                "federation.direct_tls_port=0", "federation.dns=false",
                "federation.allowed_domains=[\"friend.example\"]",
                "federation.hosts.friend.example=\"127.0.0.1:15269\"",
                "federation.hosts.freind.example=\"127.0.0.1:15270\"",
                "federation.hosts.other.example=\"127.0.0.1:15271\""), Map.of()))) {
            assertThat(node.module(FederationModule.class)).as("the node runs").isPresent();
        } finally {
            logger.detachAppender(log);
        }

        List<String> warnings = log.list.stream().filter(event -> event.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(0)).startsWith("federation.hosts lists freind.example, but"
                + " federation.allowed_domains does not: this node refuses to federate with freind.example");
        assertThat(warnings.get(1)).startsWith("federation.hosts lists other.example");
    }
}
