package org.skerry.federation.check;

import io.netty.handler.ssl.JdkSslContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.skerry.federation.link.DnsPeerResolver;
import org.skerry.federation.link.PeerAddress;
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
import org.skerry.server.xml.XmlWriter;
import org.skerry.server.xmpp.Jid;
import org.skerry.server.xmpp.Namespaces;

/**
 * {@code skerry federation check DOMAIN}: connects to a peer the way an outbound link does, as this node's first
 * domain and with its certificate, and reports each step: resolution, TCP, STARTTLS, the peer's certificate (chain,
 * names, expiry), authentication as this node's domain (SASL EXTERNAL when the peer offers it for our certificate,
 * else dialback), and an XEP-0199 ping with its round-trip time. A step runs only when the ones before it succeeded,
 * since each needs the previous one's connection.
 *
 * <p>Authentication and ping need the running node: for dialback the peer connects back to this node's listener to
 * verify the key, and the ping's answer comes over a link the peer opens to this node. So the full check runs inside
 * the node ({@link #inNode}); without it ({@link #withoutNode}) those two steps are reported as skipped.
 *
 * <p>Everything here blocks (sockets, DNS): never call it on an event loop.
 */
public final class FederationCheck {
    public enum Outcome {
        OK, FAILED, SKIPPED;

        String word() { return name().toLowerCase(Locale.ROOT); }
    }

    /** One line of the report: the step, its outcome, and what was found or why it failed. */
    public record Step(String name, Outcome outcome, String detail) {
        public boolean failed() { return outcome == Outcome.FAILED; }

        public String line() {
            return String.format(Locale.ROOT, "%-14s %-7s %s", name, outcome.word(), detail);
        }
    }

    /**
     * What only the running node can lend the check: the dialback keys that its listener confirms when the peer asks
     * back, and the answers that peers route to it.
     */
    public interface RunningNode {
        /** The XEP-0185 key that this node, originating as {@code ours}, sends {@code peer} on the stream {@code streamId}. */
        String dialbackKey(String peer, String ours, String streamId);

        /**
         * Prepares for an IQ to {@code peer}: returns the id to send it with. {@code answer} then completes with the
         * peer's result or error when it is routed to this node, or with null after {@code timeout}.
         */
        String expectIqAnswer(String peer, Duration timeout, CompletableFuture<Element> answer);
    }

    private static final String SASL = Namespaces.SASL;
    private static final String DIALBACK_FEATURE = "urn:xmpp:features:dialback";
    private static final String PING = "urn:xmpp:ping";
    /** A whole DNS look-up of the peer, as the node's links allow it. */
    private static final Duration DNS_WAIT = Duration.ofSeconds(15);

    private final SkerryConfig config;
    private final TlsManager tls;
    private final RunningNode node;
    private final String whyNoNode;
    private final String domain;
    private final String ourDomain;
    private final Consumer<Step> report;
    private final List<Step> steps = new ArrayList<>();
    private final Clock clock;
    private final int timeoutMillis;
    private final PeerCertificates certificates;

    private FederationCheck(SkerryConfig config, TlsManager tls, RunningNode node, String whyNoNode, String domain,
                            Consumer<Step> report) {
        this.config = config;
        this.tls = tls;
        this.node = node;
        this.whyNoNode = whyNoNode;
        this.domain = domain.toLowerCase(Locale.ROOT);
        this.ourDomain = config.domains().get(0);
        this.report = report;
        this.clock = Clock.systemUTC();
        this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, config.federation().connectTimeout().toMillis());
        this.certificates = new PeerCertificates(TrustAnchorFiles.read(config.federation().trustAnchors()));
    }

    /**
     * The whole check, run inside the node: with its certificate, its dialback keys and its listener.
     *
     * @param report gets each step as soon as it is known (the same steps are returned at the end)
     */
    public static List<Step> inNode(SkerryConfig config, TlsManager tls, RunningNode node, String domain,
                                    Consumer<Step> report) {
        FederationCheck check = new FederationCheck(config, tls, node, null, domain, report);
        check.run();
        return List.copyOf(check.steps);
    }

    /**
     * The check without the running node: up to the certificate steps, then authentication and ping reported as
     * skipped because of {@code whyNoNode}. It loads this node's certificate itself.
     *
     * @throws IllegalStateException when this node's own certificate or trust anchors cannot be loaded (its
     *                               configuration is broken, not the peer)
     */
    public static List<Step> withoutNode(SkerryConfig config, String whyNoNode, String domain, Consumer<Step> report) {
        TlsManager ownTls = ownTls(config);
        try {
            FederationCheck check = new FederationCheck(config, ownTls, null, whyNoNode, domain, report);
            check.run();
            return List.copyOf(check.steps);
        } finally {
            ownTls.close();
        }
    }

    private void run() {
        HostPort target = resolve();
        if (target == null) {
            return;
        }
        try (Socket socket = connect(target)) {
            if (socket == null) {
                return;
            }
            SSLSocket secured = startTls(socket, target);
            if (secured == null || !certificate(secured.getSession())) {
                return;
            }
            if (node == null) {
                skipped("auth", whyNoNode);
                skipped("ping", whyNoNode);
                return;
            }
            PeerStream stream = new PeerStream(secured);
            if (authenticate(stream)) {
                ping(stream);
            }
            stream.write("</stream:stream>");
        } catch (IOException closing) {
            // The report is complete; failing to close the stream changes nothing in it.
        }
    }

    // ---------------------------------------------------------------- resolution and TCP

    private HostPort resolve() {
        Jid peer = Jid.parseOrNull(domain);
        if (peer == null || !peer.isDomain()) {
            return fail("resolution", "\"" + domain + "\" is not a domain");
        }
        if (config.domains().contains(domain)) {
            return fail("resolution", domain + " is served by this node, not a peer");
        }
        HostPort target = config.federation().hosts().get(domain);
        if (target == null && !config.federation().dns()) {
            return fail("resolution", "no federation.hosts entry for " + domain + ", and DNS is off (federation.dns = false)");
        }
        if (target == null) {
            return resolveInDns();
        }
        ok("resolution", "federation.hosts: " + domain + " = " + target.host() + ":" + target.port()
                + " (static override; DNS not consulted)");
        return target;
    }

    /** SRV (then A/AAAA) as the node would look it up; the check speaks STARTTLS, so it takes the first such target. */
    private HostPort resolveInDns() {
        try (DnsPeerResolver dns = DnsPeerResolver.forConfig(config.federation())) {
            List<PeerAddress> targets = dns.resolve(domain).get(DNS_WAIT.toSeconds(), TimeUnit.SECONDS);
            if (targets.isEmpty()) {
                return fail("resolution", "DNS: no SRV or A/AAAA records for " + domain);
            }
            String all = targets.stream().map(t -> t.host() + ":" + t.port() + (t.directTls() ? " (direct TLS)" : ""))
                    .collect(Collectors.joining(", "));
            for (PeerAddress t : targets) {
                if (!t.directTls()) {
                    ok("resolution", "DNS: " + all + "; checking " + t.host() + ":" + t.port() + " (STARTTLS)");
                    return new HostPort(t.host(), t.port());
                }
            }
            return fail("resolution", "DNS: only direct TLS targets (" + all + "); this check speaks STARTTLS");
        } catch (ExecutionException e) {
            return fail("resolution", "DNS look-up for " + domain + " failed: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            return fail("resolution", "DNS look-up for " + domain + " timed out after " + DNS_WAIT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("resolution", "interrupted");
        }
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

    // ---------------------------------------------------------------- TLS and the peer's certificate

    private SSLSocket startTls(Socket socket, HostPort target) {
        try {
            PeerStream stream = new PeerStream(socket);
            stream.openStream(ourDomain, domain);
            if (stream.features().child("starttls", Namespaces.TLS) == null) {
                return fail("tls", domain + " does not offer STARTTLS");
            }
            stream.write("<starttls xmlns='" + Namespaces.TLS + "'/>");
            if (!stream.next().is("proceed", Namespaces.TLS)) {
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
    private boolean certificate(SSLSession session) {
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
        boolean dialback = dialbackAllowed();
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
        return steps.stream().noneMatch(Step::failed);
    }

    // ---------------------------------------------------------------- authentication

    /**
     * Authenticates as this node's domain the way its outbound links do: SASL EXTERNAL when the peer offers it and our
     * certificate proves our domain, else (or when the peer refuses it) dialback if federation.auth allows it.
     */
    private boolean authenticate(PeerStream stream) {
        Element features;
        try {
            stream.openStream(ourDomain, domain);
            features = stream.features();
        } catch (IOException e) {
            return failed("auth", "no stream features after TLS: " + describe(e));
        }
        String ourCertificate = certificates.whyNotValidFor(tls.certificateChain(), ourDomain);
        boolean externalOffered = offersExternal(features);
        String externalRefused = null;
        if (externalOffered && ourCertificate == null) {
            try {
                String authzid = Base64.getEncoder().encodeToString(ourDomain.getBytes(StandardCharsets.UTF_8));
                stream.write("<auth xmlns='" + SASL + "' mechanism='EXTERNAL'>" + authzid + "</auth>");
                Element answer = stream.next();
                if (answer.is("success", SASL)) {
                    stream.openStream(ourDomain, domain);
                    stream.features();
                    ok("auth", "SASL EXTERNAL: the peer accepted our certificate for " + ourDomain);
                    return true;
                }
                externalRefused = answer.is("failure", SASL) ? PeerStream.describe(answer, SASL)
                        : "answered <" + answer.name() + "/>";
            } catch (IOException e) {
                return failed("auth", "SASL EXTERNAL: " + describe(e));
            }
        }
        boolean dialbackOffered = features.child("dialback", DIALBACK_FEATURE) != null;
        if (dialbackOffered && dialbackAllowed()) {
            return dialback(stream, externalRefused);
        }
        String why;
        if (externalRefused != null) {
            why = "the peer refused SASL EXTERNAL for our certificate for " + ourDomain + ": " + externalRefused;
        } else if (externalOffered) {
            why = "our certificate cannot prove " + ourDomain + " (" + ourCertificate + ")";
        } else {
            why = "the peer does not offer SASL EXTERNAL for our certificate for " + ourDomain;
        }
        if (!dialbackOffered) {
            return failed("auth", why + ", and it offers no dialback");
        }
        return failed("auth", why + ", and federation.auth = \"strict\" allows no dialback");
    }

    private static boolean offersExternal(Element features) {
        Element mechanisms = features.child("mechanisms", SASL);
        return mechanisms != null && mechanisms.elements().stream()
                .anyMatch(mechanism -> "EXTERNAL".equals(mechanism.text().trim()));
    }

    /**
     * XEP-0220 as the originating server: sends the key this node's listener will confirm when the peer (the
     * receiving server) connects back to ask, and waits for the peer's verdict.
     */
    private boolean dialback(PeerStream stream, String externalRefused) {
        String streamId = stream.streamId();
        if (streamId == null) {
            return failed("auth", "dialback: the peer's stream header has no id, which the key is bound to");
        }
        String before = externalRefused == null ? "" : " (SASL EXTERNAL refused: " + externalRefused + ")";
        long start = System.nanoTime();
        try {
            String key = node.dialbackKey(domain, ourDomain, streamId);
            stream.write("<db:result from='" + XmlWriter.escape(ourDomain) + "' to='" + XmlWriter.escape(domain) + "'>"
                    + key + "</db:result>");
            Element verdict = stream.next();
            while (!verdict.is("result", PeerStream.DIALBACK)) {
                verdict = stream.next(); // nothing else is expected first, and nothing else is the verdict
            }
            String type = verdict.attr("type");
            if ("valid".equals(type)) {
                ok("auth", "dialback: the peer verified our key with " + ourDomain + " in " + millisSince(start)
                        + " ms" + before);
                return true;
            }
            if ("error".equals(type)) {
                Element error = verdict.child("error", PeerStream.DIALBACK);
                return failed("auth", "dialback: the peer answered with the error "
                        + (error == null ? "?" : PeerStream.describe(error, Namespaces.STANZAS_ERROR)) + before);
            }
            return failed("auth", "dialback: the peer found our key " + type + before);
        } catch (SocketTimeoutException e) {
            return failed("auth", "dialback: no verdict within " + timeoutMillis / 1000 + " s; to verify our key"
                    + " the peer connects to " + ourDomain + ", so check that it can reach this node" + before);
        } catch (IOException e) {
            return failed("auth", "dialback: " + describe(e) + before);
        }
    }

    // ---------------------------------------------------------------- ping

    /** XEP-0199 from our domain to the peer's; its answer comes back over a link the peer opens to this node. */
    private void ping(PeerStream stream) {
        CompletableFuture<Element> answer = new CompletableFuture<>();
        String id = node.expectIqAnswer(domain, Duration.ofMillis(timeoutMillis), answer);
        long start = System.nanoTime();
        try {
            stream.write("<iq type='get' id='" + id + "' from='" + XmlWriter.escape(ourDomain) + "' to='"
                    + XmlWriter.escape(domain) + "'><ping xmlns='" + PING + "'/></iq>");
            Element reply = answerWithin(answer);
            long millis = millisSince(start);
            if (reply == null) {
                fail("ping", "no answer within " + timeoutMillis / 1000 + " s; the peer answers over a link of its own"
                        + " to " + ourDomain + ", so check that it can reach and authenticate this node");
            } else if ("result".equals(reply.attr("type"))) {
                ok("ping", "answered in " + millis + " ms (XEP-0199 over our stream, the answer over "
                        + domain + "'s link to " + ourDomain + ")");
            } else {
                pingError(reply, millis);
            }
        } catch (IOException e) {
            fail("ping", "cannot send the ping: " + describe(e));
        } catch (ExecutionException e) {
            fail("ping", e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("ping", "interrupted");
        }
    }

    /** The answer, or null when none came: the router gives up after the timeout, and so do we a little later. */
    private Element answerWithin(CompletableFuture<Element> answer) throws ExecutionException, InterruptedException {
        try {
            return answer.get(timeoutMillis + 1000L, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        }
    }

    /** An error still proves the round trip when it only says that the peer does not do XEP-0199. */
    private void pingError(Element reply, long millis) {
        Element error = reply.child("error");
        String condition = error == null ? "?" : PeerStream.describe(error, Namespaces.STANZAS_ERROR);
        if (condition.startsWith("service-unavailable") || condition.startsWith("feature-not-implemented")) {
            ok("ping", "answered in " + millis + " ms with the error " + condition + ": the peer does not support"
                    + " XEP-0199, but the round trip works");
        } else {
            fail("ping", "the peer answered with the error " + condition + " after " + millis + " ms");
        }
    }

    // ---------------------------------------------------------------- the report

    private boolean dialbackAllowed() { return config.federation().auth() == FederationConfig.Auth.DIALBACK; }

    /** The node's certificate as the node itself would load it; never watched for changes (the check is short). */
    private static TlsManager ownTls(SkerryConfig config) {
        var t = config.tls();
        try {
            return TlsManager.start(new TlsSettings(t.certificate().orElse(null), t.privateKey().orElse(null),
                    t.password(), t.provider().name().toLowerCase(Locale.ROOT), t.protocols(), Duration.ZERO,
                    config.dataDir(), config.domains()), null);
        } catch (TlsConfigException e) {
            throw new IllegalStateException("this node's certificate: " + e.getMessage(), e);
        }
    }

    private void ok(String step, String detail) { add(new Step(step, Outcome.OK, detail)); }

    private void skipped(String step, String detail) { add(new Step(step, Outcome.SKIPPED, detail)); }

    /** Reports the failure and returns null, for the steps that hand on a connection. */
    private <T> T fail(String step, String detail) {
        add(new Step(step, Outcome.FAILED, detail));
        return null;
    }

    /** Reports the failure and returns false, for the steps that say whether the next may run. */
    private boolean failed(String step, String detail) {
        fail(step, detail);
        return false;
    }

    private void add(Step step) {
        steps.add(step);
        report.accept(step);
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
