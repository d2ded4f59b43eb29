package org.skerry.interop.federation;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.function.Supplier;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jxmpp.jid.impl.JidCreate;

/** What the Prosody and ejabberd test peers share: waiting for their ports, and Smack clients that trust them. */
final class ForeignServerProcesses {
    private ForeignServerProcesses() {}

    /** Waits until {@code address} accepts on every port, failing early (with the server's log) if it exits. */
    static void awaitListening(String name, Process process, String address, Duration timeout, Supplier<String> log,
                               int... ports) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + log.get());
            }
            boolean all = true;
            for (int port : ports) {
                all &= accepts(address, port);
            }
            if (all) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(name + " did not listen on " + address + " within " + timeout.toSeconds()
                + " s:\n" + log.get());
    }

    private static boolean accepts(String address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName(address), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A Smack client over STARTTLS, trusting exactly the server's {@code certificate}; not connected yet. */
    static XMPPTCPConnection connection(String domain, String address, int c2sPort, Path certificate, String user,
                                        String password, String resource) {
        SkerryStanzaIdProvider.register();
        try {
            XMPPTCPConnection connection = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                    .setXmppDomain(JidCreate.domainBareFrom(domain))
                    .setHostAddress(InetAddress.getByName(address))
                    .setPort(c2sPort)
                    .setSecurityMode(SecurityMode.required)
                    .setCustomX509TrustManager(trusting(certificate))
                    .setUsernameAndPassword(user, password)
                    .setResource(resource)
                    .setSendPresence(true)
                    .setConnectTimeout(10_000)
                    .build());
            connection.setReplyTimeout(10_000);
            return connection;
        } catch (Exception e) {
            throw new IllegalStateException("cannot configure a client of " + domain + ": " + e, e);
        }
    }

    /** Connects and logs in; the caller disconnects. */
    static XMPPTCPConnection connectAndLogin(XMPPTCPConnection connection) {
        try {
            connection.connect().login();
            return connection;
        } catch (Exception e) {
            connection.disconnect();
            throw new IllegalStateException("login of " + connection.getConfiguration().getUsername() + "@"
                    + connection.getXMPPServiceDomain() + " failed: " + e, e);
        }
    }

    private static X509TrustManager trusting(Path certificateFile) throws Exception {
        X509Certificate certificate;
        try (InputStream in = Files.newInputStream(certificateFile)) {
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("server", certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        return (X509TrustManager) factory.getTrustManagers()[0];
    }
}
