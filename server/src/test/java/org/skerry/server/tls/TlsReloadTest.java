package org.skerry.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.skerry.server.tls.TestCertificates.pem;
import static org.skerry.server.tls.TestCertificates.pkcs8;
import static org.skerry.server.tls.TestCertificates.write;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLEngine;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsReloadTest {
    @TempDir Path dir;

    private ScheduledExecutorService scheduler;
    private KeyPair keysA;
    private X509Certificate certificateA;
    private KeyPair keysB;
    private X509Certificate certificateB;
    private Path certificateFile;
    private Path keyFile;

    @BeforeEach
    void setUp() throws Exception {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        keysA = TestCertificates.ecKeyPair();
        certificateA = TestCertificates.selfSigned(keysA, "node.test", "SHA256withECDSA");
        keysB = TestCertificates.rsaKeyPair();
        certificateB = TestCertificates.selfSigned(keysB, "node.test", "SHA256withRSA");
        certificateFile = dir.resolve("fullchain.pem");
        keyFile = dir.resolve("privkey.pem");
        install(certificateA, keysA);
    }

    @AfterEach
    void tearDown() {
        scheduler.shutdownNow();
    }

    private void install(X509Certificate certificate, KeyPair keys) throws Exception {
        write(certificateFile, pem(certificate));
        write(keyFile, pem(pkcs8(keys.getPrivate())));
    }

    private TlsManager start(String provider, Duration interval) throws TlsConfigException {
        return TlsManager.start(new TlsSettings(certificateFile, keyFile, "", provider, null, interval, dir,
                List.of("node.test")), scheduler);
    }

    @Test
    void reloadNowServesTheNewCertificateToNewConnections() throws Exception {
        try (TlsManager manager = start("bc", Duration.ZERO);
             TlsTestSupport.LoopbackServer server = new TlsTestSupport.LoopbackServer(manager::serverContext)) {
            AtomicInteger reloads = new AtomicInteger();
            manager.addReloadListener(reloads::incrementAndGet);
            assertThat(server.connect("TLSv1.3").serverCertificate()).isEqualTo(certificateA);
            SslContext before = manager.serverContext();
            SslContext s2sBefore = manager.serverContextRequestingClientCert();
            SslContext clientBefore = manager.clientContext(null);

            install(certificateB, keysB);
            manager.reloadNow();

            assertThat(manager.certificate()).isEqualTo(certificateB);
            assertThat(reloads).hasValue(1);
            assertThat(manager.serverContext()).isNotSameAs(before);
            assertThat(manager.serverContextRequestingClientCert()).isNotSameAs(s2sBefore);
            assertThat(manager.clientContext(null)).isNotSameAs(clientBefore);
            assertThat(server.connect("TLSv1.3").serverCertificate()).isEqualTo(certificateB);
            assertThat(server.connect("TLSv1.2").serverCertificate()).isEqualTo(certificateB);
        }
    }

    @Test
    void connectionsOpenedBeforeTheReloadKeepTheirCertificate() throws Exception {
        try (TlsManager manager = start("bc", Duration.ZERO)) {
            SSLEngine openedBefore = manager.serverContext().newEngine(ByteBufAllocator.DEFAULT);
            install(certificateB, keysB);
            manager.reloadNow();
            SSLEngine client = manager.clientContext(null).newEngine(ByteBufAllocator.DEFAULT);
            TlsTestSupport.handshake(client, openedBefore);
            assertThat(client.getSession().getPeerCertificates()[0]).isEqualTo(certificateA);
        }
    }

    @Test
    void periodicCheckPicksUpChangedFiles() throws Exception {
        try (TlsManager manager = start("jdk", Duration.ofMillis(100));
             TlsTestSupport.LoopbackServer server = new TlsTestSupport.LoopbackServer(manager::serverContext)) {
            AtomicInteger reloads = new AtomicInteger();
            manager.addReloadListener(reloads::incrementAndGet);
            Thread.sleep(350); // several checks with unchanged files
            assertThat(reloads).as("unchanged files are not reloaded").hasValue(0);

            install(certificateB, keysB);
            await().atMost(Duration.ofSeconds(10)).until(() -> manager.certificate().equals(certificateB));
            assertThat(server.connect("TLSv1.3").serverCertificate()).isEqualTo(certificateB);
            Thread.sleep(350);
            assertThat(reloads).as("one change, one reload").hasValue(1);
        }
    }

    @Test
    void invalidReplacementKeepsTheCurrentCertificate() throws Exception {
        try (TlsManager manager = start("bc", Duration.ZERO);
             TlsTestSupport.LoopbackServer server = new TlsTestSupport.LoopbackServer(manager::serverContext)) {
            AtomicInteger reloads = new AtomicInteger();
            manager.addReloadListener(reloads::incrementAndGet);
            SslContext before = manager.serverContext();

            // Half-way through a renewal: the new certificate is in place, the old key is still there.
            write(certificateFile, pem(certificateB));
            assertThatThrownBy(manager::reloadNow)
                    .isInstanceOf(TlsConfigException.class)
                    .hasMessageContaining("does not match");
            assertThat(manager.certificate()).isEqualTo(certificateA);
            assertThat(manager.serverContext()).isSameAs(before);
            assertThat(server.connect("TLSv1.3").serverCertificate()).isEqualTo(certificateA);

            write(keyFile, "-----BEGIN PRIVATE KEY-----\ngarbage\n-----END PRIVATE KEY-----\n");
            assertThatThrownBy(manager::reloadNow).isInstanceOf(TlsConfigException.class);
            write(keyFile, "");
            assertThatThrownBy(manager::reloadNow).isInstanceOf(TlsConfigException.class);
            assertThat(server.connect("TLSv1.3").serverCertificate()).isEqualTo(certificateA);
            assertThat(reloads).hasValue(0);
        }
    }

    @Test
    void periodicCheckSurvivesBrokenFilesAndRecoversWhenTheyAreFixed() throws Exception {
        try (TlsManager manager = start("bc", Duration.ofMillis(50))) {
            AtomicInteger reloads = new AtomicInteger();
            manager.addReloadListener(reloads::incrementAndGet);
            write(certificateFile, "-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n");
            Thread.sleep(300); // several checks fail; none may kill the scheduled task
            assertThat(manager.certificate()).isEqualTo(certificateA);
            java.nio.file.Files.delete(keyFile);
            Thread.sleep(200);
            assertThat(manager.certificate()).isEqualTo(certificateA);
            assertThat(reloads).hasValue(0);

            install(certificateB, keysB);
            await().atMost(Duration.ofSeconds(10)).until(() -> manager.certificate().equals(certificateB));
            // At least once, not exactly: install() writes the key in place, so a check can note it half-written and
            // then load it whole, and the next check installs the same pair again (harmless, and what an admin who
            // writes files in place would see too).
            assertThat(reloads.get()).isPositive();
        }
    }

    @Test
    void aFailingListenerDoesNotStopTheOthers() throws Exception {
        try (TlsManager manager = start("bc", Duration.ZERO)) {
            AtomicInteger reloads = new AtomicInteger();
            manager.addReloadListener(() -> {
                throw new IllegalStateException("listener bug");
            });
            manager.addReloadListener(reloads::incrementAndGet);
            install(certificateB, keysB);
            manager.reloadNow();
            assertThat(reloads).hasValue(1);
            assertThat(manager.certificate()).isEqualTo(certificateB);
        }
    }

    @Test
    void closeStopsThePeriodicCheck() throws Exception {
        TlsManager manager = start("bc", Duration.ofMillis(50));
        manager.close();
        install(certificateB, keysB);
        Thread.sleep(300);
        assertThat(manager.certificate()).isEqualTo(certificateA);
    }
}
