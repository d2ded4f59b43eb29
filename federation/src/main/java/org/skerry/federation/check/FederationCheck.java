package org.skerry.federation.check;

import io.netty.handler.ssl.JdkSslContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.skerry.federation.link.PeerCertificates;
import org.skerry.federation.link.TrustAnchorFiles;
import org.skerry.server.config.FederationConfig;
import org.skerry.server.config.HostPort;
import org.skerry.server.config.SkerryConfig;
import org.skerry.server.tls.Certificates;
import org.skerry.server.tls.TlsConfigException;
import org.skerry.server.tls.TlsManager;
import org.skerry.server.tls.TlsSettings;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Namespaces;

/**
 * {@code skerry federation check DOMAIN}: connects to a peer the way an outbound link does, as this node's first
 * domain and with its certificate, and reports each step: resolution, TCP, STARTTLS, the peer's certificate
 * (chain, names, expiry), the authentication it offers, and a round trip. A step runs only when the ones before it
 * succeeded, since each needs the previous one's connection.
 */
public final class FederationCheck {
    /** One line of the report: the step, ok or failed, and what was found or why it failed. */
    public record Step(String name, boolean ok, String detail) {
        public String line() {
            return String.format(Locale.ROOT, "%-14s %-6s %s", name, ok ? "ok" : "failed", detail);
        }
    }

    private static final String SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
    private static final String DIALBACK_FEATURE = "urn:xmpp:features:dialback";

    private final SkerryConfig config;
    private final String domain;
    private final String ourDomain;
    private final Consumer<Step> report;
    private final Clock clock;
    private final int timeoutMillis;
    private boolean failed;

    private FederationCheck(SkerryConfig config, String domain, Consumer<Step> report, Clock clock) {
        this.config = config;
        this.domain = domain.toLowerCase(Locale.ROOT);
        this.ourDomain = config.domains().get(0);
        this.report = report;
        this.clock = clock;
        this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, config.federation().connectTimeout().toMillis());
    }

    /**
     * Runs the check, handing each step to {@code report} as soon as it is known; true when every step is ok.
     *
     * @throws IllegalStateException when this node's own certificate or trust anchors cannot be loaded (its
     *                               configuration is broken, not the peer)
     */
    public static boolean run(SkerryConfig config, String domain, Consumer<Step> report) {
        FederationCheck check = new FederationCheck(config, domain, report, Clock.systemUTC());
        check.run();
        return !check.failed;
    }

    private void run() {
        PeerCertificates certificates = new PeerCertificates(TrustAnchorFiles.read(config.federation().trustAnchors()));
        TlsManager tls = ownTls();
        try {
            HostPort target = resolve();
            if (target == null) {
                return;
            }
            try (Socket socket = connect(target)) {
                if (socket == null) {
                    return;
                }
                SSLSocket secured = startTls(socket, target, tls);
                if (secured == null || !certificate(secured.getSession(), certificates)) {
                    return;
                }
                authenticate(new StreamText(secured));
            } catch (IOException closing) {
                // The report is complete; a failure to close the socket changes nothing in it.
            }
        } finally {
            tls.close();
        }
    }

    private HostPort resolve() {
        if (config.domains().contains(domain)) {
            return fail("resolution", domain + " is served by this node, not a peer");
        }
        HostPort target = config.federation().hosts().get(domain);
        if (target == null) {
            return fail("resolution", "no federation.hosts entry for " + domain
                    + ", and DNS SRV look-ups are not implemented yet");
        }
        ok("resolution", "federation.hosts: " + domain + " = " + target.host() + ":" + target.port()
                + " (static override; DNS not consulted)");
        return target;
    }

    private Socket connect(HostPort target) {
        Socket socket = new Socket();
        long start = System.nanoTime();
        try {
            socket.connect(new InetSocketAddress(target.host(), target.port()), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            ok("tcp", "connected to " + target.host() + ":" + target.port() + " in " + millisSince(start) + " ms");
            return socket;
        } catch (IOException e) {
            closeQuietly(socket);
            return fail("tcp", "cannot connect to " + target.host() + ":" + target.port() + ": " + describe(e));
        }
    }

    private SSLSocket startTls(Socket socket, HostPort target, TlsManager tls) {
        try {
            StreamText stream = new StreamText(socket);
            stream.openStream(ourDomain, domain);
            if (stream.features().child("starttls", Namespaces.TLS) == null) {
                return fail("tls", domain + " does not offer STARTTLS");
            }
            stream.write("<starttls xmlns='" + Namespaces.TLS + "'/>");
            if (!"proceed".equals(stream.awaitOneOf("proceed", "failure"))) {
                return fail("tls", domain + " refused STARTTLS");
            }
            // The node's own client context: its certificate, presented for SASL EXTERNAL. Any server certificate
            // passes the handshake; the certificate steps below judge it and say why.
            JdkSslContext context = (JdkSslContext) tls.clientContext(null);
            SSLSocket secured = (SSLSocket) context.context().getSocketFactory()
                    .createSocket(socket, target.host(), target.port(), true);
            secured.setEnabledProtocols(config.tls().protocols().toArray(new String[0]));
            secured.setUseClientMode(true);
            secured.startHandshake();
            SSLSession session = secured.getSession();
            ok("tls", session.getProtocol() + ", " + session.getCipherSuite() + " (STARTTLS)");
            return secured;
        } catch (IOException e) {
            return fail("tls", describe(e));
        }
    }

    /** Chain, names and expiry; true when the peer's certificate can be used as far as the configuration goes. */
    private boolean certificate(SSLSession session, PeerCertificates certificates) {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            for (var certificate : session.getPeerCertificates()) {
                chain.add((X509Certificate) certificate);
            }
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            fail("certificate", domain + " presented no certificate");
            return false;
        }
        X509Certificate leaf = chain.get(0);
        String untrusted = certificates.whyNotTrusted(chain);
        boolean dialback = config.federation().auth() == FederationConfig.Auth.DIALBACK;
        String issuer = "issued by " + leaf.getIssuerX500Principal().getName() + ", " + chain.size() + " in chain";
        if (untrusted == null) {
            ok("certificate", "trusted (" + issuer + ")");
        } else if (dialback) {
            ok("certificate", "not trusted (" + untrusted + "; " + issuer + "); usable only with dialback,"
                    + " which federation.auth = \"dialback\" allows");
        } else {
            fail("certificate", "not trusted: " + untrusted + " (" + issuer + "); federation.auth = \"strict\""
                    + " needs a certificate from a CA in the JDK trust store or federation.trust_anchors");
        }
        String names = "dNSName " + Certificates.dnsNames(leaf) + ", XmppAddr " + Certificates.xmppAddrs(leaf)
                + ", SRV-ID " + Certificates.srvNames(leaf);
        if (PeerCertificates.names(leaf, domain)) {
            ok("names", domain + " is named (" + names + ")");
        } else if (dialback) {
            ok("names", domain + " is not named (" + names + "); usable only with dialback");
        } else {
            fail("names", domain + " is not named: the certificate has " + names);
        }
        Instant now = clock.instant();
        Instant notAfter = leaf.getNotAfter().toInstant();
        if (now.isAfter(notAfter)) {
            fail("expiry", "expired on " + notAfter);
        } else if (now.isBefore(leaf.getNotBefore().toInstant())) {
            fail("expiry", "not valid before " + leaf.getNotBefore().toInstant());
        } else {
            ok("expiry", "valid until " + notAfter + " (" + Duration.between(now, notAfter).toDays() + " days left)");
        }
        return !failed;
    }

    /**
     * Reopens the stream over TLS and looks at what the peer offers. SASL EXTERNAL is carried out: the peer's
     * {@code <success/>} proves it accepts this node's certificate. Dialback is only reported: it would need the
     * peer to call back to this node's listener, which the check does not stand in for.
     */
    private void authenticate(StreamText stream) {
        Element features;
        long start = System.nanoTime();
        try {
            stream.openStream(ourDomain, domain);
            features = stream.features();
        } catch (IOException e) {
            fail("auth", "no stream features after TLS: " + describe(e));
            return;
        }
        long featuresMillis = millisSince(start);
        Element mechanisms = features.child("mechanisms", SASL);
        boolean external = mechanisms != null && mechanisms.elements().stream()
                .anyMatch(mechanism -> "EXTERNAL".equals(mechanism.text().trim()));
        boolean dialbackOffered = features.child("dialback", DIALBACK_FEATURE) != null;
        boolean dialbackAllowed = config.federation().auth() == FederationConfig.Auth.DIALBACK;
        if (external) {
            saslExternal(stream);
        } else if (dialbackOffered && dialbackAllowed) {
            ok("auth", "dialback offered (not SASL EXTERNAL: the peer does not accept our certificate for "
                    + ourDomain + "); the dialback exchange itself is not run by this check");
        } else if (dialbackOffered) {
            fail("auth", "the peer offers only dialback (it does not accept our certificate for " + ourDomain
                    + "), and federation.auth is \"strict\"");
        } else {
            fail("auth", "the peer offers neither SASL EXTERNAL for our certificate (" + ourDomain
                    + ") nor dialback");
        }
        ok("round-trip", "stream features answered in " + featuresMillis + " ms after the TLS restart"
                + " (no stanza ping: its answer would come over a link the peer opens to this node)");
    }

    private void saslExternal(StreamText stream) {
        try {
            String authzid = Base64.getEncoder().encodeToString(ourDomain.getBytes(StandardCharsets.UTF_8));
            stream.write("<auth xmlns='" + SASL + "' mechanism='EXTERNAL'>" + authzid + "</auth>");
            if ("success".equals(stream.awaitOneOf("success", "failure"))) {
                ok("auth", "SASL EXTERNAL: the peer accepted our certificate for " + ourDomain);
            } else {
                fail("auth", "SASL EXTERNAL offered, but the peer refused it for " + ourDomain);
            }
        } catch (IOException e) {
            fail("auth", "SASL EXTERNAL: " + describe(e));
        }
    }

    /** The node's certificate as the node itself would load it; never watched for changes (the check is short). */
    private TlsManager ownTls() {
        var t = config.tls();
        try {
            return TlsManager.start(new TlsSettings(t.certificate().orElse(null), t.privateKey().orElse(null),
                    t.password(), t.provider().name().toLowerCase(Locale.ROOT), t.protocols(), Duration.ZERO,
                    config.dataDir(), config.domains()), null);
        } catch (TlsConfigException e) {
            throw new IllegalStateException("this node's certificate: " + e.getMessage(), e);
        }
    }

    private void ok(String step, String detail) {
        report.accept(new Step(step, true, detail));
    }

    /** Reports the failure and returns null, for the steps that hand on a connection. */
    private <T> T fail(String step, String detail) {
        failed = true;
        report.accept(new Step(step, false, detail));
        return null;
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing was sent on it.
        }
    }
}
