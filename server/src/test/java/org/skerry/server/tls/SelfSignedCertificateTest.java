package org.skerry.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfSignedCertificateTest {
    @TempDir Path dataDir;

    private TlsManager start(List<String> domains) throws TlsConfigException {
        return TlsManager.start(TlsSettings.selfSigned(dataDir, domains), null);
    }

    private TlsManager start(List<String> domains, Instant now) throws TlsConfigException {
        return TlsManager.start(TlsSettings.selfSigned(dataDir, domains), null, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void generatedOnFirstStartWithEveryDomainAndReusedOnTheNext() throws Exception {
        List<String> domains = List.of("example.test", "chat.example.test");
        X509Certificate first;
        try (TlsManager manager = start(domains)) {
            first = manager.certificate();
        }
        assertThat(Certificates.dnsNames(first))
                .containsExactlyInAnyOrder("example.test", "*.example.test", "chat.example.test", "*.chat.example.test");
        assertThat(Certificates.xmppAddrs(first)).containsExactlyInAnyOrder("example.test", "chat.example.test");
        assertThat(first.getPublicKey()).isInstanceOf(ECPublicKey.class);
        assertThat(first.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(first.getBasicConstraints()).as("not a CA").isEqualTo(-1);
        assertThat(first.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        Duration validity = Duration.between(first.getNotBefore().toInstant(), first.getNotAfter().toInstant());
        assertThat(validity).isBetween(Duration.ofDays(365), Duration.ofDays(366));

        Path keyFile = SelfSignedCertificates.keyFile(dataDir);
        assertThat(SelfSignedCertificates.certificateFile(dataDir)).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(Files.list(keyFile.getParent())).as("no temporary files left").hasSize(2);

        try (TlsManager again = start(domains)) {
            assertThat(Certificates.sha256Fingerprint(again.certificate()))
                    .isEqualTo(Certificates.sha256Fingerprint(first))
                    .matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        }
    }

    @Test
    void replacedWhenTheDomainsChange() throws Exception {
        X509Certificate before;
        try (TlsManager manager = start(List.of("a.test"))) {
            before = manager.certificate();
        }
        try (TlsManager manager = start(List.of("a.test", "b.test"))) {
            assertThat(manager.certificate()).isNotEqualTo(before);
            assertThat(Certificates.xmppAddrs(manager.certificate())).containsExactlyInAnyOrder("a.test", "b.test");
        }
        try (TlsManager manager = start(List.of("b.test"))) {
            assertThat(Certificates.xmppAddrs(manager.certificate())).containsExactly("b.test");
            assertThat(Certificates.dnsNames(manager.certificate())).containsExactlyInAnyOrder("b.test", "*.b.test");
        }
    }

    @Test
    void replacedWhenExpiredOrAboutToExpire() throws Exception {
        Instant now = Instant.now();
        X509Certificate old;
        try (TlsManager manager = start(List.of("a.test"), now)) {
            old = manager.certificate();
        }
        try (TlsManager manager = start(List.of("a.test"), now.plus(Duration.ofDays(300)))) {
            assertThat(manager.certificate()).as("still valid for months: kept").isEqualTo(old);
        }
        Instant lastDay = old.getNotAfter().toInstant().minus(Duration.ofHours(12));
        try (TlsManager manager = start(List.of("a.test"), lastDay)) {
            assertThat(manager.certificate()).isNotEqualTo(old);
            assertThat(manager.certificate().getNotAfter().toInstant()).isAfter(lastDay.plus(Duration.ofDays(364)));
        }
    }

    @Test
    void renewedByThePeriodicCheckWhileRunning() throws Exception {
        Instant now = Instant.now();
        MutableClock clock = new MutableClock(now);
        try (TlsManager manager = TlsManager.start(TlsSettings.selfSigned(dataDir, List.of("a.test")), null, clock)) {
            X509Certificate old = manager.certificate();
            int[] reloads = {0};
            manager.addReloadListener(() -> reloads[0]++);
            manager.checkForChanges();
            assertThat(manager.certificate()).isEqualTo(old);
            clock.now = old.getNotAfter().toInstant().plusSeconds(1);
            manager.checkForChanges();
            assertThat(manager.certificate()).isNotEqualTo(old);
            assertThat(manager.certificate().getNotAfter().toInstant()).isAfter(clock.now);
            assertThat(reloads[0]).isEqualTo(1);
        }
    }

    @Test
    void damagedFilesAreReplacedRatherThanStoppingTheNode() throws Exception {
        try (TlsManager manager = start(List.of("a.test"))) {
            manager.certificate();
        }
        Files.writeString(SelfSignedCertificates.certificateFile(dataDir), "-----BEGIN CERTIFICATE-----\nnot base64!\n");
        try (TlsManager manager = start(List.of("a.test"))) {
            assertThat(Certificates.xmppAddrs(manager.certificate())).containsExactly("a.test");
        }
        // A key that belongs to another certificate is as useless as a damaged one.
        Files.writeString(SelfSignedCertificates.keyFile(dataDir),
                TestCertificates.pem(TestCertificates.pkcs8(TestCertificates.ecKeyPair().getPrivate())));
        try (TlsManager manager = start(List.of("a.test"))) {
            assertThat(KeyMaterialLoader.keyMatches(
                    KeyMaterialLoader.load(SelfSignedCertificates.certificateFile(dataDir),
                            SelfSignedCertificates.keyFile(dataDir), "").privateKey(),
                    manager.certificate().getPublicKey())).isTrue();
        }
    }

    @Test
    void internationalisedDomainsUseALabelsInDnsNamesAndUnicodeInXmppAddr() throws Exception {
        try (TlsManager manager = start(List.of("bücher.test"))) {
            assertThat(Certificates.dnsNames(manager.certificate()))
                    .containsExactlyInAnyOrder("xn--bcher-kva.test", "*.xn--bcher-kva.test");
            assertThat(Certificates.xmppAddrs(manager.certificate())).containsExactly("bücher.test");
        }
    }

    @Test
    void refusesToGenerateWithoutDomains() {
        assertThatThrownBy(() -> start(List.of()))
                .isInstanceOf(TlsConfigException.class)
                .hasMessageContaining("no domains");
    }

    @Test
    void settingsRejectUnsupportedValues() {
        assertThatThrownBy(() -> new TlsSettings(null, null, "", "gnutls", null, Duration.ZERO, dataDir, List.of()))
                .hasMessageContaining("tls.provider");
        assertThatThrownBy(() -> new TlsSettings(null, null, "", "bc", List.of("TLSv1.1"), Duration.ZERO, dataDir,
                List.of())).hasMessageContaining("TLSv1.1");
        assertThatThrownBy(() -> new TlsSettings(null, null, "", "bc", null, Duration.ofSeconds(-1), dataDir,
                List.of())).hasMessageContaining("reload_interval");
        assertThat(new TlsSettings(Path.of(""), null, null, null, null, null, dataDir, null).isSelfSigned()).isTrue();
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override public Instant instant() {
            return now;
        }
    }
}
