package org.skerry.interop.federation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;

/**
 * A real Prosody (Debian's package; {@code interop-tests/install-peers.sh} installs it) started by hand for a test:
 * its own config file, data directory and self-signed certificate in a temporary directory owned by the
 * {@code prosody} user, listening only on its own loopback address.
 *
 * <p>DNS never leaves the machine: Prosody resolves peers with libunbound, pointed at a resolv.conf that names only
 * 127.0.0.1 (where nothing answers, so the SRV look-up fails fast) and at a hosts file of our own that maps each
 * peer domain to its loopback address. Prosody then falls back to the A record on port 5269, so a peer that Prosody
 * must reach (to connect out, and for the dialback verify step) listens on 5269 of the address given here.
 * Prosody 0.12 has no static per-domain s2s route of its own (that is the community module mod_s2soutinjection).
 */
final class ProsodyPeer implements ForeignServer {
    static final String USER = "prosody";
    private static final int C2S_PORT = 5222;
    private static final int S2S_PORT = 5269;

    private final String domain;
    private final String address;
    private final Path dir;
    private Process process;

    private ProsodyPeer(String domain, String address, Path dir) {
        this.domain = domain;
        this.address = address;
        this.dir = dir;
    }

    /**
     * Starts Prosody serving {@code domain} on {@code address} (c2s 5222, s2s 5269) with a self-signed certificate,
     * authenticating peers with dialback over TLS ({@code s2s_secure_auth = false}). {@code peerHosts} are
     * hosts-file lines ("127.0.0.53 skerry.test") for the peers it must find; {@code accounts} are user/password
     * pairs to register before it starts.
     */
    static ProsodyPeer startWithDialback(String domain, String address, List<String> peerHosts, String... accounts)
            throws Exception {
        return start(domain, address, peerHosts, null, accounts);
    }

    /**
     * Like {@link #startWithDialback}, but {@code ca} issues Prosody's certificate and is the only authority it
     * trusts, and peers must authenticate with a valid certificate ({@code s2s_secure_auth = true}): SASL EXTERNAL.
     */
    static ProsodyPeer startWithCertificates(String domain, String address, List<String> peerHosts,
            TestCertificateAuthority ca, String... accounts) throws Exception {
        return start(domain, address, peerHosts, ca, accounts);
    }

    private static ProsodyPeer start(String domain, String address, List<String> peerHosts,
            TestCertificateAuthority ca, String... accounts) throws Exception {
        Path dir = Files.createTempDirectory("prosody-peer");
        Files.createDirectories(dir.resolve("data"));
        Files.createDirectories(dir.resolve("certs"));
        if (ca == null) {
            writeSelfSignedCertificate(dir, domain);
        } else {
            writeCertificateIssuedBy(ca, dir, domain);
        }
        Files.writeString(dir.resolve("resolv.conf"), "nameserver 127.0.0.1\n");
        Files.writeString(dir.resolve("hosts"), String.join("\n", peerHosts) + "\n");
        Files.writeString(dir.resolve("prosody.cfg.lua"), config(dir, domain, address, ca != null));
        handToProsodyUser(dir);

        Path config = dir.resolve("prosody.cfg.lua");
        for (int i = 0; i + 1 < accounts.length; i += 2) {
            runAsProsody(dir, "prosodyctl", "--config", config.toString(), "register", accounts[i], domain, accounts[i + 1]);
        }
        ProsodyPeer peer = new ProsodyPeer(domain, address, dir);
        peer.launch();
        return peer;
    }

    /** Runs Prosody in the foreground on this peer's config; returns once it listens, or stops it and fails. */
    private void launch() throws Exception {
        Path config = dir.resolve("prosody.cfg.lua");
        process = new ProcessBuilder(asProsody("prosody", "--config", config.toString(), "-F")).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.txt").toFile())).start();
        try {
            ForeignServerProcesses.awaitListening("prosody", process, address, Duration.ofSeconds(30), this::logTail,
                    C2S_PORT, S2S_PORT);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private static String config(Path dir, String domain, String address, boolean certificateAuth) {
        return String.join("\n",
                "pidfile = \"" + dir.resolve("prosody.pid") + "\"",
                "data_path = \"" + dir.resolve("data") + "\"",
                "certificates = \"" + dir.resolve("certs") + "\"",
                "log = { { levels = { min = \"debug\" }, to = \"file\", filename = \"" + dir.resolve("prosody.log") + "\" } }",
                "interfaces = { \"" + address + "\" }",
                "local_interfaces = { \"" + address + "\" }",
                "c2s_ports = { " + C2S_PORT + " }",
                "s2s_ports = { " + S2S_PORT + " }",
                "c2s_direct_tls_ports = {}",
                "s2s_direct_tls_ports = {}",
                "legacy_ssl_ports = {}",
                "http_ports = {}",
                "https_ports = {}",
                "component_ports = {}",
                // Never the system resolver: only our hosts file, and a name server on loopback that is not there.
                "unbound = { resolvconf = \"" + dir.resolve("resolv.conf") + "\"; hoststxt = \"" + dir.resolve("hosts") + "\" }",
                // s2s_bidi (XEP-0288) ships with 0.12 but is off unless listed, as in Debian's commented default.
                "modules_enabled = { \"roster\"; \"saslauth\"; \"tls\"; \"dialback\"; \"s2s_bidi\"; \"disco\"; \"ping\"; \"smacks\" }",
                // XEP-0198 on s2s too (0.12's default, stated here). Prosody offers and enables it only on streams
                // that are authenticated when the features are sent, i.e. after SASL EXTERNAL, never with dialback.
                "smacks_enabled_s2s = true",
                "authentication = \"internal_hashed\"",
                "s2s_require_encryption = true",
                certificateAuth
                        // Only the test CA vouches for peers, and only a valid certificate authenticates one.
                        ? "s2s_secure_auth = true\nssl = { cafile = \"" + dir.resolve("certs").resolve("ca.pem") + "\" }"
                        // Self-signed certificates on both sides: authenticate peers with dialback over TLS.
                        : "s2s_secure_auth = false",
                "VirtualHost \"" + domain + "\"",
                "");
    }

    private static void writeSelfSignedCertificate(Path dir, String domain) throws Exception {
        Path certs = dir.resolve("certs");
        run(dir, List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-keyout", certs.resolve(domain + ".key").toString(), "-out", certs.resolve(domain + ".crt").toString(),
                "-subj", "/CN=" + domain, "-addext", "subjectAltName=DNS:" + domain));
    }

    /** Prosody finds DOMAIN.crt and DOMAIN.key in its certificates directory; the chain file ends with the CA. */
    private static void writeCertificateIssuedBy(TestCertificateAuthority ca, Path dir, String domain) throws Exception {
        Path certs = dir.resolve("certs");
        TestCertificateAuthority.PemPair issued = ca.issue(domain, certs);
        Files.move(issued.certificate(), certs.resolve(domain + ".crt"));
        Files.move(issued.privateKey(), certs.resolve(domain + ".key"));
        ca.writeCertificate(certs);
        Files.move(certs.resolve("test-ca.pem"), certs.resolve("ca.pem"));
    }

    /** Prosody refuses to run as root: the whole directory becomes the prosody user's when the tests run as root. */
    private static void handToProsodyUser(Path dir) throws IOException {
        if (!runningAsRoot()) {
            return;
        }
        UserPrincipal prosody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(USER);
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Files.setOwner(path, prosody);
            }
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }

    private static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static List<String> asProsody(String... command) {
        List<String> full = new ArrayList<>();
        if (runningAsRoot()) {
            full.addAll(List.of("setpriv", "--reuid=" + USER, "--regid=" + USER, "--init-groups"));
        }
        full.addAll(List.of(command));
        return full;
    }

    private static void runAsProsody(Path dir, String... command) throws Exception {
        run(dir, asProsody(command));
    }

    /** Runs a tool to completion and fails with its output. */
    private static void run(Path dir, List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] output;
        try (InputStream in = process.getInputStream()) {
            output = in.readAllBytes();
        }
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " failed:\n" + new String(output, StandardCharsets.UTF_8));
        }
    }

    /** The end of Prosody's log, for failure messages. */
    @Override
    public String logTail() {
        try {
            List<String> lines = new ArrayList<>(Files.readAllLines(dir.resolve("stdout.txt")));
            Path log = dir.resolve("prosody.log");
            if (Files.exists(log)) {
                lines.addAll(Files.readAllLines(log));
            }
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public String domain() { return domain; }

    /** Where Skerry's {@code federation.hosts} should send this domain's s2s traffic. */
    @Override
    public String s2sAddress() { return address + ":" + S2S_PORT; }

    @Override
    public XMPPTCPConnection connection(String user, String password, String resource) {
        return ForeignServerProcesses.connection(domain, address, C2S_PORT, dir.resolve("certs").resolve(domain + ".crt"),
                user, password, resource);
    }

    /** setpriv runs Prosody in its own process (exec), so the one pid is all there is to kill. */
    @Override
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("prosody survived SIGKILL for 10 s");
        }
    }

    /** Its accounts and certificate are in its directory already; a stale pid file does not stop it. */
    @Override
    public void startAgain() throws Exception {
        if (process.isAlive()) {
            throw new IllegalStateException("prosody for " + domain + " is still running");
        }
        launch();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
