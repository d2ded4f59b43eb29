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
 * A real ejabberd (Debian's package; {@code interop-tests/install-peers.sh} installs it) started by hand for a test:
 * its own config directory, Mnesia spool, logs and self-signed certificate in a temporary directory owned by the
 * {@code ejabberd} user, listening only on its own loopback address.
 *
 * <p>It runs as {@code ejabberdctl --config-dir DIR --ctl-config DIR/ejabberdctl.cfg foreground} under
 * {@code setpriv} (ejabberdctl's own {@code su} would reset the open-files limit), so the tests must run as root.
 * Nothing leaves the machine: Erlang distribution listens on a loopback port without epmd ({@code ERL_DIST_PORT});
 * names resolve only from our hosts file, both in the Erlang resolver ({@code {lookup, [file]}}) and in the C
 * library (our file bind-mounted on /etc/hosts in a private mount namespace); DNS goes only to 127.0.0.1, where
 * nothing answers, so the SRV look-up fails fast and ejabberd falls back to the A record on port 5269: a peer that
 * ejabberd must reach (to connect out, and for the dialback verify step) listens on 5269 of the address given here.
 *
 * <p>Rate limits are off for tests: no shapers, no {@code mod_fail2ban}, no registration timeout.
 */
final class EjabberdPeer implements ForeignServer {
    static final String USER = "ejabberd";
    private static final String CTL = "/usr/sbin/ejabberdctl";
    private static final int C2S_PORT = 5222;
    private static final int S2S_PORT = 5269;

    private final String domain;
    private final String address;
    private final Path dir;
    private Process process;

    private EjabberdPeer(String domain, String address, Path dir) {
        this.domain = domain;
        this.address = address;
        this.dir = dir;
    }

    /**
     * Starts ejabberd serving {@code domain} on {@code address} (c2s 5222, s2s 5269) with a self-signed certificate,
     * STARTTLS required on s2s and peers authenticated with dialback. {@code peerHosts} are hosts-file lines
     * ("127.0.0.63 skerry.test") for the peers it must find; {@code accounts} are user/password pairs registered
     * once it runs.
     */
    static EjabberdPeer startWithDialback(String domain, String address, List<String> peerHosts, String... accounts)
            throws Exception {
        return start(domain, address, peerHosts, null, accounts);
    }

    /**
     * Like {@link #startWithDialback}, but {@code ca} issues ejabberd's certificate and is the only authority it
     * trusts for s2s ({@code s2s_cafile}), and dialback is off: peers authenticate with SASL EXTERNAL or not at all.
     */
    static EjabberdPeer startWithCertificates(String domain, String address, List<String> peerHosts,
            TestCertificateAuthority ca, String... accounts) throws Exception {
        return start(domain, address, peerHosts, ca, accounts);
    }

    private static EjabberdPeer start(String domain, String address, List<String> peerHosts,
            TestCertificateAuthority ca, String... accounts) throws Exception {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("EjabberdPeer runs as root: it gives ejabberd its own /etc/hosts with a mount");
        }
        Path dir = Files.createTempDirectory("ejabberd-peer");
        for (String sub : List.of("certs", "spool", "logs", "home")) {
            Files.createDirectories(dir.resolve(sub));
        }
        if (ca == null) {
            writeSelfSignedCertificate(dir, domain);
        } else {
            writeCertificateIssuedBy(ca, dir, domain);
        }
        Files.writeString(dir.resolve("resolv.conf"), "nameserver 127.0.0.1\n");
        List<String> hosts = new ArrayList<>(List.of("127.0.0.1 localhost"));
        hosts.addAll(peerHosts);
        Files.writeString(dir.resolve("hosts"), String.join("\n", hosts) + "\n");
        Files.writeString(dir.resolve("inetrc"), inetrc(dir));
        Files.writeString(dir.resolve("ejabberdctl.cfg"), ctlConfig(dir, freeLoopbackPort()));
        Files.writeString(dir.resolve("ejabberd.yml"), config(dir, domain, address, ca != null));
        handToEjabberdUser(dir);

        EjabberdPeer peer = new EjabberdPeer(domain, address, dir);
        peer.launch();
        try {
            for (int i = 0; i + 1 < accounts.length; i += 2) {
                run(ctl(dir, "register", accounts[i], domain, accounts[i + 1]));
            }
        } catch (Exception e) {
            peer.close();
            throw new IllegalStateException(e.getMessage() + "\nejabberd log:\n" + peer.logTail(), e);
        }
        return peer;
    }

    /** Runs ejabberd in the foreground on this peer's directory; returns once it listens, or stops it and fails. */
    private void launch() throws Exception {
        process = ctl(dir, "foreground").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.txt").toFile())).start();
        try {
            ForeignServerProcesses.awaitListening("ejabberd", process, address, Duration.ofSeconds(60), this::logTail,
                    C2S_PORT, S2S_PORT);
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /** Only our hosts file answers names; DNS goes to 127.0.0.1, where nothing listens. */
    private static String inetrc(Path dir) {
        return String.join("\n",
                "{hosts_file, \"" + dir.resolve("hosts") + "\"}.",
                "{resolv_conf, \"" + dir.resolve("resolv.conf") + "\"}.",
                "{lookup, [file]}.",
                "");
    }

    /**
     * Read by ejabberdctl (a shell script) both to start the node and to reach it for {@code register}/{@code stop}:
     * the node name, where its data and logs go, and Erlang distribution pinned to loopback without epmd.
     */
    private static String ctlConfig(Path dir, int distributionPort) {
        return String.join("\n",
                "ERLANG_NODE=skerry-interop@localhost",
                "SPOOL_DIR=" + dir.resolve("spool"),
                "LOGS_DIR=" + dir.resolve("logs"),
                "INET_DIST_INTERFACE=127.0.0.1",
                "ERL_EPMD_ADDRESS=127.0.0.1",
                "ERL_DIST_PORT=" + distributionPort,
                "CONTRIB_MODULES_PATH=" + dir.resolve("home"),
                "EJABBERD_BYPASS_WARNINGS=true",
                "");
    }

    private static String config(Path dir, String domain, String address, boolean certificateAuth) {
        return String.join("\n",
                "hosts:",
                "  - " + domain,
                "loglevel: info",
                "log_rotate_count: 0",
                "certfiles:",
                "  - \"" + dir.resolve("certs").resolve(domain + ".crt") + "\"",
                "  - \"" + dir.resolve("certs").resolve(domain + ".key") + "\"",
                "listen:",
                "  - port: " + C2S_PORT,
                "    ip: \"" + address + "\"",
                "    module: ejabberd_c2s",
                "    starttls_required: true",
                "  - port: " + S2S_PORT,
                "    ip: \"" + address + "\"",
                "    module: ejabberd_s2s_in",
                // Encrypted s2s only. With self-signed certificates peers authenticate with dialback; with the test
                // CA's, only that CA vouches for peers, and without mod_s2s_dialback SASL EXTERNAL is the only way in.
                "s2s_use_starttls: required",
                certificateAuth ? "s2s_cafile: \"" + dir.resolve("certs").resolve("ca.pem") + "\"" : "",
                "s2s_access: all",
                "outgoing_s2s_families: [ipv4]",
                "outgoing_s2s_ipv4_address: \"" + address + "\"",
                "auth_method: internal",
                "auth_password_format: scram",
                "registration_timeout: infinity",
                "access_rules:",
                "  c2s:",
                "    allow: all",
                "modules:",
                "  mod_roster: {}",
                certificateAuth ? "" : "  mod_s2s_dialback: {}",
                "  mod_disco: {}",
                "  mod_ping: {}",
                "");
    }

    private static void writeSelfSignedCertificate(Path dir, String domain) throws Exception {
        Path certs = dir.resolve("certs");
        run(dir, List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-keyout", certs.resolve(domain + ".key").toString(), "-out", certs.resolve(domain + ".crt").toString(),
                "-subj", "/CN=" + domain, "-addext", "subjectAltName=DNS:" + domain));
    }

    /**
     * ejabberd's certfiles name DOMAIN.crt (the chain, ending with the CA) and DOMAIN.key; s2s_cafile names ca.pem.
     * The key is rewritten by openssl as a SEC1 EC key: ejabberd pairs a key with its certificate by the public key
     * stored inside the private key, which the PKCS#8 encoding that BouncyCastle writes leaves out ("no matching
     * private key found for this certificate").
     */
    private static void writeCertificateIssuedBy(TestCertificateAuthority ca, Path dir, String domain) throws Exception {
        Path certs = dir.resolve("certs");
        TestCertificateAuthority.PemPair issued = ca.issue(domain, certs);
        Files.move(issued.certificate(), certs.resolve(domain + ".crt"));
        run(dir, List.of("openssl", "ec", "-in", issued.privateKey().toString(),
                "-out", certs.resolve(domain + ".key").toString()));
        Files.delete(issued.privateKey());
        Files.move(ca.writeCertificate(certs), certs.resolve("ca.pem"));
    }

    /** Erlang distribution needs a port of its own; ejabberdctl's client reaches the node there. */
    private static int freeLoopbackPort() { return org.skerry.interop.TestPorts.next(); }

    /** ejabberd runs as its own user: the whole directory becomes that user's. */
    private static void handToEjabberdUser(Path dir) throws IOException {
        UserPrincipal ejabberd = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(USER);
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Files.setOwner(path, ejabberd);
            }
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }

    /**
     * An ejabberdctl command as the ejabberd user, in a mount namespace of its own where /etc/hosts and
     * /etc/resolv.conf are ours: ejabberd 23.01 looks SRV records up with Erlang's resolver (which the inetrc
     * points at 127.0.0.1) but A records with the C library's getaddrinfo, which reads only the system files.
     * The open-files limit is raised to the hard limit. HOME is ours so that the node and ejabberdctl's client
     * share the Erlang cookie written there.
     */
    private static ProcessBuilder ctl(Path dir, String... arguments) {
        List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
                "ulimit -n \"$(ulimit -Hn)\" && mount --bind \"$1\" /etc/hosts && mount --bind \"$2\" /etc/resolv.conf"
                        + " && shift 2 && exec \"$@\"",
                "sh", dir.resolve("hosts").toString(), dir.resolve("resolv.conf").toString(),
                "setpriv", "--reuid=" + USER, "--regid=" + USER, "--init-groups",
                CTL, "--config-dir", dir.toString(), "--ctl-config", dir.resolve("ejabberdctl.cfg").toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().put("HOME", dir.resolve("home").toString());
        return builder;
    }

    /** Runs a tool to completion and fails with its output. */
    private static void run(Path dir, List<String> command) throws Exception {
        run(new ProcessBuilder(command).directory(dir.toFile()));
    }

    private static void run(ProcessBuilder builder) throws Exception {
        Process process = builder.redirectErrorStream(true).start();
        byte[] output;
        try (InputStream in = process.getInputStream()) {
            output = in.readAllBytes();
        }
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(builder.command() + " failed:\n" + new String(output, StandardCharsets.UTF_8));
        }
    }

    /** The end of ejabberd's output and log, for failure messages. */
    @Override
    public String logTail() {
        try {
            List<String> lines = new ArrayList<>(Files.readAllLines(dir.resolve("stdout.txt")));
            Path log = dir.resolve("logs").resolve("ejabberd.log");
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

    /**
     * SIGKILL to the whole tree at once: ejabberdctl's shell, the Erlang VM and the helpers it spawned, all seen before
     * any dies (an orphan would leave this tree, and the VM's children would outlive it otherwise).
     */
    @Override
    public void kill() throws InterruptedException {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (tree.stream().anyMatch(ProcessHandle::isAlive)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("ejabberd survived SIGKILL for 10 s");
            }
            Thread.sleep(20);
        }
    }

    /** The accounts are in its Mnesia spool already, which ejabberd recovers after the kill. */
    @Override
    public void startAgain() throws Exception {
        if (process.isAlive()) {
            throw new IllegalStateException("ejabberd for " + domain + " is still running");
        }
        launch();
    }

    /**
     * Asks the node to stop, then ends whatever is left of the processes this peer started: ejabberdctl is a shell
     * script that does not pass signals on to the Erlang VM it runs.
     */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            try {
                run(ctl(dir, "stop"));
            } catch (Exception e) {
                // The VM is ended below either way.
            }
        }
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
