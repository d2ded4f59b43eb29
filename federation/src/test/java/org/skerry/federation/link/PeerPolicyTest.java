package org.skerry.federation.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.skerry.federation.link.PeerPolicy.Standing;

/** How the configuration's lists and the admin's runtime blocks merge. */
class PeerPolicyTest {
    @Test
    void aRuntimeBlockAddsToTheConfigurationsBlocksAndCanBeLifted() {
        PeerPolicy policy = new PeerPolicy(List.of("spam.example"), List.of());

        assertThat(policy.blockAtRuntime("Noisy.Example")).isTrue();

        assertThat(policy.standing("noisy.example")).isEqualTo(Standing.BLOCKED_AT_RUNTIME);
        assertThat(policy.standing("spam.example")).isEqualTo(Standing.BLOCKED_BY_CONFIG);
        assertThat(policy.isBlocked("friend.example")).isFalse();
        assertThat(policy.blockedAtRuntime()).containsExactly("noisy.example");

        assertThat(policy.unblockAtRuntime("noisy.example")).isTrue();
        assertThat(policy.isBlocked("noisy.example")).isFalse();
        assertThat(policy.unblockAtRuntime("noisy.example")).as("nothing left to lift").isFalse();
    }

    @Test
    void aBlockOfTheConfigurationOutlivesARuntimeBlockAndItsLifting() {
        PeerPolicy policy = new PeerPolicy(List.of("spam.example"), List.of());
        policy.blockAtRuntime("spam.example");

        assertThat(policy.standing("spam.example")).as("the configuration's reason first")
                .isEqualTo(Standing.BLOCKED_BY_CONFIG);

        policy.unblockAtRuntime("spam.example");
        assertThat(policy.standing("spam.example")).isEqualTo(Standing.BLOCKED_BY_CONFIG);
    }

    @Test
    void inAllowOnlyModeARuntimeBlockStillBlocksAnAllowedDomainAndLiftingItDoesNotAdmitOthers() {
        PeerPolicy policy = new PeerPolicy(List.of(), List.of("friend.example", "partner.example"));
        policy.blockAtRuntime("partner.example");

        assertThat(policy.standing("friend.example")).isEqualTo(Standing.ALLOWED);
        assertThat(policy.standing("partner.example")).isEqualTo(Standing.BLOCKED_AT_RUNTIME);
        assertThat(policy.standing("stranger.example")).isEqualTo(Standing.NOT_IN_ALLOWED_DOMAINS);

        policy.unblockAtRuntime("partner.example");
        assertThat(policy.standing("partner.example")).isEqualTo(Standing.ALLOWED);
        policy.blockAtRuntime("stranger.example");
        policy.unblockAtRuntime("stranger.example");
        assertThat(policy.standing("stranger.example")).isEqualTo(Standing.NOT_IN_ALLOWED_DOMAINS);
    }

    @Test
    void subdomainsAreOtherServers() {
        PeerPolicy policy = new PeerPolicy(List.of("example.org"), List.of());
        policy.blockAtRuntime("example.net");

        assertThat(policy.isBlocked("chat.example.org")).isFalse();
        assertThat(policy.isBlocked("chat.example.net")).isFalse();
    }

    @Test
    void namesTheHostsEntriesThatAllowOnlyModeRefuses() {
        PeerPolicy allowOnly = new PeerPolicy(List.of(), List.of("friend.example"));

        assertThat(allowOnly.hostsRefusedByAllowList(List.of("friend.example", "Typo.Example", "other.example")))
                .containsExactly("other.example", "typo.example");
        assertThat(PeerPolicy.open().hostsRefusedByAllowList(List.of("anyone.example"))).isEmpty();
        assertThat(new PeerPolicy(List.of("anyone.example"), List.of()).hostsRefusedByAllowList(
                List.of("anyone.example"))).as("only allow-only mode is checked").isEmpty();
    }
}
