package org.skerry.federation.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.skerry.federation.link.LinkStatus;
import org.skerry.federation.link.LinkStatus.Direction;
import org.skerry.federation.link.LinkStatus.State;
import org.skerry.federation.link.PeerPolicy.Standing;

class PeerTableTest {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    @Test
    void oneRowPerLinkWithThePeersPolicyAndQueueOnEach() {
        PeerReport up = new PeerReport("b.test", Standing.ALLOWED, List.of(
                new LinkStatus("a.test", "b.test", Direction.OUTBOUND, State.READY, NOW.minusSeconds(125), "dialback",
                        "TLSv1.3", true, 0, 12, null),
                new LinkStatus("a.test", "b.test", Direction.INBOUND, State.READY, NOW.minusSeconds(3), "SASL EXTERNAL",
                        "TLSv1.3", false, 7, 0, null)), 0, 0, null, 0, null, null);
        PeerReport down = new PeerReport("c.test", Standing.ALLOWED, List.of(), 5, 0, Duration.ofSeconds(3700), 3,
                NOW.plusSeconds(42), "cannot connect to c.test: Connection refused");
        PeerReport blocked = new PeerReport("d.test", Standing.BLOCKED_AT_RUNTIME, List.of(), 0, 0, null, 0, null, null);

        String[] lines = PeerTable.render(List.of(up, down, blocked), NOW).split("\n");

        assertThat(lines[0].split(" {2,}")).containsExactly("PEER", "POLICY", "LINK", "STATE", "FOR", "AUTH", "TLS",
                "SM", "IN", "OUT", "QUEUED", "OLDEST", "RETRY IN", "LAST ERROR");
        assertThat(lines[1].split(" {2,}")).containsExactly("b.test", "allowed", "out", "ready", "2m05s", "dialback",
                "TLSv1.3", "yes", "0", "12", "0", "-", "-", "-");
        assertThat(lines[2].split(" {2,}")).containsExactly("b.test", "allowed", "in", "ready", "3s", "SASL EXTERNAL",
                "TLSv1.3", "no", "7", "0", "0", "-", "-", "-");
        assertThat(lines[3].split(" {2,}")).containsExactly("c.test", "allowed", "-", "-", "-", "-", "-", "-", "-", "-", "5",
                "1h01m", "42s", "cannot connect to c.test: Connection refused");
        assertThat(lines[4].split(" {2,}")).containsExactly("d.test", "blocked", "-", "-", "-", "-", "-", "-", "-", "-", "0",
                "-", "-", "-");
        assertThat(lines).hasSize(5);
        assertThat(lines[1].indexOf("TLSv1.3")).as("columns line up").isEqualTo(lines[0].indexOf("TLS "));
    }

    @Test
    void aLinkThatCarriesStanzasBothWaysReadsBidi() {
        PeerReport both = new PeerReport("b.test", Standing.ALLOWED, List.of(
                new LinkStatus("a.test", "b.test", Direction.BIDIRECTIONAL, State.READY, NOW.minusSeconds(5),
                        "dialback", "TLSv1.3", true, 4, 3, null)), 0, 0, null, 0, null, null);

        String[] lines = PeerTable.render(List.of(both), NOW).split("\n");

        assertThat(lines[1].split(" {2,}")).containsExactly("b.test", "allowed", "bidi", "ready", "5s", "dialback",
                "TLSv1.3", "yes", "4", "3", "0", "-", "-", "-");
    }

    @Test
    void noPeersIsSaidInWords() {
        assertThat(PeerTable.render(List.of(), NOW)).isEqualTo("No peers: no links, nothing queued, nothing blocked.");
    }

    @Test
    void agesReadShort() {
        assertThat(PeerTable.age(Duration.ofSeconds(59))).isEqualTo("59s");
        assertThat(PeerTable.age(Duration.ofHours(50))).isEqualTo("2d02h");
        assertThat(PeerTable.age(Duration.ofSeconds(-3))).isEqualTo("now");
        assertThat(PeerTable.age(null)).isEqualTo("-");
    }
}
