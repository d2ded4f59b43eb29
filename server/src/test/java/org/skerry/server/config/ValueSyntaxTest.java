package org.skerry.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValueSyntaxTest {

    @Test
    void durationsInEveryUnitAndSums() {
        assertThat(ValueSyntax.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(ValueSyntax.duration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(ValueSyntax.duration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(ValueSyntax.duration("72h")).isEqualTo(Duration.ofHours(72));
        assertThat(ValueSyntax.duration("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(ValueSyntax.duration("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(ValueSyntax.duration("0s")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "30", "s", "-5s", "5 s", "5sec", "1.5h", "5S", "30s ", "h1", "5m5", "99999999999999999999s"})
    void malformedDurationsAreRefused(String text) {
        assertThatThrownBy(() -> ValueSyntax.duration(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hugeDurationIsRefusedNotWrapped() {
        assertThatThrownBy(() -> ValueSyntax.duration("999999999999999999d"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too large");
    }

    @Test
    void sizesInBinaryUnits() {
        assertThat(ValueSyntax.size("256KiB")).isEqualTo(256 * 1024);
        assertThat(ValueSyntax.size("4MiB")).isEqualTo(4 * 1024 * 1024);
        assertThat(ValueSyntax.size("1GiB")).isEqualTo(1L << 30);
        assertThat(ValueSyntax.size("512B")).isEqualTo(512);
        assertThat(ValueSyntax.size("10000")).isEqualTo(10000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "4MB", "4kb", "KiB", "-1KiB", "1.5MiB", "4 TiB", "99999999999GiB"})
    void malformedSizesAreRefused(String text) {
        assertThatThrownBy(() -> ValueSyntax.size(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void domainsAreLowerCased() {
        assertThat(ValueSyntax.domain("Example.ORG")).isEqualTo("example.org");
        assertThat(ValueSyntax.domain("localhost")).isEqualTo("localhost");
        assertThat(ValueSyntax.domain("xn--mnchen-3ya.example")).isEqualTo("xn--mnchen-3ya.example");
        assertThat(ValueSyntax.domain("münchen.example")).isEqualTo("münchen.example");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a..b", ".example", "example.", "exa mple.org", "-bad.example", "bad-.example",
            "under_score.example", "a@b.example", "127.0.0.1", "example.123", "a/b"})
    void invalidDomainsAreRefused(String name) {
        assertThatThrownBy(() -> ValueSyntax.domain(name)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void overlongLabelAndNameAreRefused() {
        assertThatThrownBy(() -> ValueSyntax.domain("a".repeat(64) + ".example"))
                .isInstanceOf(IllegalArgumentException.class);
        String longName = ("a".repeat(60) + ".").repeat(5) + "example";
        assertThatThrownBy(() -> ValueSyntax.domain(longName)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bindAddressesAreLiteralsOrLocalhost() {
        assertThat(ValueSyntax.isBindAddress("0.0.0.0")).isTrue();
        assertThat(ValueSyntax.isBindAddress("127.0.0.2")).isTrue();
        assertThat(ValueSyntax.isBindAddress("::")).isTrue();
        assertThat(ValueSyntax.isBindAddress("::1")).isTrue();
        assertThat(ValueSyntax.isBindAddress("fe80::1:2")).isTrue();
        assertThat(ValueSyntax.isBindAddress("localhost")).isTrue();
        assertThat(ValueSyntax.isBindAddress("256.0.0.1")).isFalse();
        assertThat(ValueSyntax.isBindAddress("127.0.0")).isFalse();
        assertThat(ValueSyntax.isBindAddress("01.2.3.4")).isFalse();
        assertThat(ValueSyntax.isBindAddress("1:2:3:4:5:6:7:8:9")).isFalse();
        assertThat(ValueSyntax.isBindAddress("example.org")).isFalse();
        assertThat(ValueSyntax.isBindAddress("")).isFalse();
        assertThat(ValueSyntax.isBindAddress("[::1]")).isFalse();
    }

    @Test
    void hostPorts() {
        assertThat(ValueSyntax.hostPort("127.0.0.1:5280", false, 0)).isEqualTo(new HostPort("127.0.0.1", 5280));
        assertThat(ValueSyntax.hostPort("[::1]:5280", false, 0)).isEqualTo(new HostPort("::1", 5280));
        assertThat(ValueSyntax.hostPort("[::1]:5280", false, 0)).hasToString("[::1]:5280");
        assertThat(ValueSyntax.hostPort("Peer.Example:5269", true, 1)).isEqualTo(new HostPort("peer.example", 5269));
        assertThat(ValueSyntax.hostPort("localhost:0", false, 0).port()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.1:", ":5280", "127.0.0.1:65536", "127.0.0.1:-1", "::1:5280",
            "[zz::1]:5280", "example.org:5280", "127.0.0.1:52 80", "127.0.0.1:0x50", "127.0.0.1:000005280"})
    void badBindHostPortsAreRefused(String text) {
        assertThatThrownBy(() -> ValueSyntax.hostPort(text, false, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void federationTargetsNeedARealPortAndAValidName() {
        assertThatThrownBy(() -> ValueSyntax.hostPort("peer.example:0", true, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 1 and 65535");
        assertThatThrownBy(() -> ValueSyntax.hostPort("bad_name.example:5269", true, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
