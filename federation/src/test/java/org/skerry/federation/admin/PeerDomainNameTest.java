package org.skerry.federation.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PeerDomainNameTest {
    private static final List<String> SERVED = List.of("a.test");

    @Test
    void aDomainIsNormalised() {
        assertThat(PeerDomainName.parse("  B.Test ", SERVED)).isEqualTo("b.test");
        assertThat(PeerDomainName.parse("xn--mnchen-3ya.example", SERVED)).isEqualTo("xn--mnchen-3ya.example");
        assertThat(PeerDomainName.parse("peer", SERVED)).as("a one-label name, as on a private network")
                .isEqualTo("peer");
    }

    @Test
    void anythingButAPeersDomainNameIsRefusedWithTheReason() {
        assertThatThrownBy(() -> PeerDomainName.parse("", SERVED)).hasMessage("\"\" is not a valid domain name");
        assertThatThrownBy(() -> PeerDomainName.parse("not a domain", SERVED))
                .hasMessage("\"not a domain\" is not a valid domain name");
        assertThatThrownBy(() -> PeerDomainName.parse("under_score.example", SERVED))
                .hasMessage("\"under_score.example\" is not a valid domain name");
        assertThatThrownBy(() -> PeerDomainName.parse("bob@b.test", SERVED))
                .hasMessageContaining("is an address, not a domain").hasMessageEndingWith("e.g. b.test");
        assertThatThrownBy(() -> PeerDomainName.parse("b.test/desk", SERVED))
                .hasMessageContaining("is an address, not a domain");
        assertThatThrownBy(() -> PeerDomainName.parse("192.0.2.7", SERVED))
                .hasMessage("\"192.0.2.7\" is an IP address, not a domain name");
        assertThatThrownBy(() -> PeerDomainName.parse("[2001:db8::1]", SERVED))
                .hasMessage("\"[2001:db8::1]\" is an IP address, not a domain name");
        assertThatThrownBy(() -> PeerDomainName.parse("x".repeat(64) + ".example", SERVED))
                .hasMessageContaining("is not a valid domain name");
        assertThatThrownBy(() -> PeerDomainName.parse("A.test", SERVED))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a.test is served by this node, not a peer");
    }
}
