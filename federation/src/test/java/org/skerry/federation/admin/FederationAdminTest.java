package org.skerry.federation.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.skerry.federation.FederationModule;
import org.skerry.federation.link.PeerPolicy.Standing;
import org.skerry.server.Node;
import org.skerry.server.config.SkerryConfig;

/**
 * The admin's block and unblock on one real node (H2 file, federation on, no listener): what is stored, what the
 * configuration keeps, and what a restart keeps. What a block does to live links is the end-to-end tests' part.
 */
class FederationAdminTest {
    private final List<Node> nodes = new ArrayList<>();
    /** The running node's settings, for a restart on the same data directory. */
    private List<String> settings;

    @AfterEach
    void stop() {
        nodes.forEach(Node::close);
    }

    @Test
    void aRuntimeBlockIsListedStoredAndSurvivesARestartUntilLifted() throws Exception {
        FederationAdmin admin = start();

        PolicyChange blocked = admin.block("Noisy.Example");

        assertThat(blocked.changed()).isTrue();
        assertThat(blocked.domain()).isEqualTo("noisy.example");
        assertThat(blocked.summary()).startsWith("Blocked noisy.example: closed 0 links; 0 queued stanzas bounce");
        assertThat(admin.block("noisy.example").changed()).as("blocking twice").isFalse();
        assertThat(admin.blockedDomains()).singleElement().satisfies(block -> {
            assertThat(block.domain()).isEqualTo("noisy.example");
            assertThat(block.byConfig()).isFalse();
            assertThat(block.blockedAt()).isNotNull();
        });
        assertThat(admin.peers()).singleElement().satisfies(peer -> {
            assertThat(peer.domain()).isEqualTo("noisy.example");
            assertThat(peer.standing()).isEqualTo(Standing.BLOCKED_AT_RUNTIME);
        });

        admin = restart();
        assertThat(admin.blockedDomains()).extracting(BlockedDomain::domain).containsExactly("noisy.example");
        assertThat(admin.peers()).singleElement().extracting(PeerReport::standing)
                .isEqualTo(Standing.BLOCKED_AT_RUNTIME);

        PolicyChange lifted = admin.unblock("noisy.example");
        assertThat(lifted.changed()).isTrue();
        assertThat(lifted.summary()).isEqualTo("Unblocked noisy.example: links and stanzas are allowed again.");
        assertThat(admin.unblock("noisy.example").summary()).isEqualTo("noisy.example was not blocked");
        assertThat(restart().blockedDomains()).isEmpty();
    }

    @Test
    void aBlockOfTheConfigurationCannotBeLiftedAtRuntimeAndSaysWhereItComesFrom() throws Exception {
        FederationAdmin admin = start("federation.blocked_domains=[\"spam.example\"]");

        assertThatThrownBy(() -> admin.unblock("spam.example")).isInstanceOf(IllegalStateException.class)
                .hasMessage("spam.example is blocked by federation.blocked_domains in the configuration, which cannot"
                        + " be lifted at runtime: remove it there and restart the node");
        assertThat(admin.block("spam.example").summary())
                .isEqualTo("spam.example is already blocked by federation.blocked_domains");
        assertThat(admin.blockedDomains()).singleElement().satisfies(block -> {
            assertThat(block.byConfig()).isTrue();
            assertThat(block.blockedAt()).isNull();
        });
        assertThatThrownBy(() -> admin.retryNow("spam.example")).isInstanceOf(IllegalStateException.class)
                .hasMessage("spam.example is blocked by federation.blocked_domains: nothing is sent to it");
    }

    @Test
    void allowOnlyModeCannotBeWidenedAtRuntimeButItsDomainsCanBeBlocked() throws Exception {
        FederationAdmin admin = start("federation.allowed_domains=[\"friend.example\"]");

        assertThatThrownBy(() -> admin.unblock("stranger.example")).isInstanceOf(IllegalStateException.class)
                .hasMessage("stranger.example is not in federation.allowed_domains (allow-only mode), which cannot be"
                        + " changed at runtime: add it there and restart the node");

        admin.block("friend.example");
        assertThat(admin.peers()).singleElement().extracting(PeerReport::standing)
                .isEqualTo(Standing.BLOCKED_AT_RUNTIME);
        admin.unblock("friend.example");
        assertThat(admin.peers()).isEmpty();
    }

    @Test
    void invalidDomainsAreRefusedBeforeAnythingIsStored() throws Exception {
        FederationAdmin admin = start();

        assertThatThrownBy(() -> admin.block("not a domain")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"not a domain\" is not a valid domain name");
        assertThatThrownBy(() -> admin.block("a.test")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a.test is served by this node, not a peer");
        assertThatThrownBy(() -> admin.retryNow("bob@b.test")).isInstanceOf(IllegalArgumentException.class);
        assertThat(admin.blockedDomains()).isEmpty();
    }

    private FederationAdmin start(String... extra) throws Exception {
        Path dataDir = Files.createTempDirectory("skerry-fedadmin");
        List<String> sets = new ArrayList<>(List.of("domains=[\"a.test\"]", "admins=[]", "data_dir=\"" + dataDir + "\"",
                "c2s.port=0", "c2s.direct_tls_port=0", "http.bind=\"127.0.0.1:0\"", "federation.enabled=true",
                "federation.port=0", "federation.direct_tls_port=0", "federation.dns=false"));
        sets.addAll(List.of(extra));
        settings = sets;
        Node node = Node.start(SkerryConfig.load(null, sets, Map.of()));
        nodes.add(node);
        return node.module(FederationModule.class).orElseThrow().admin().orElseThrow();
    }

    private FederationAdmin restart() throws Exception {
        nodes.remove(nodes.size() - 1).close();
        Node node = Node.start(SkerryConfig.load(null, settings, Map.of()));
        nodes.add(node);
        return node.module(FederationModule.class).orElseThrow().admin().orElseThrow();
    }
}
