package org.skerry.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.skerry.bench.xmpp.SessionSettings;
import picocli.CommandLine.Option;

/** The options every load scenario takes. */
final class CommonOptions {
    enum Tls { none, starttls }

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Server address clients connect to (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "5222", description = "Client port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--domain", defaultValue = "localhost", description = "XMPP domain the users are on (default: ${DEFAULT-VALUE}).")
    String domain;

    @Option(names = "--user-pattern", defaultValue = "bench%d", description = "Username of user i, a String.format pattern (default: ${DEFAULT-VALUE}).")
    String userPattern;

    @Option(names = "--password", defaultValue = "bench", description = "Password of every user (default: ${DEFAULT-VALUE}).")
    String password;

    @Option(names = "--first", defaultValue = "0", description = "Index of the first user (default: ${DEFAULT-VALUE}).")
    int first;

    @Option(names = "--clients", description = "Number of users/connections (default depends on the scenario).")
    Integer clients;

    @Option(names = "--tls", defaultValue = "none", description = "none or starttls (default: ${DEFAULT-VALUE}).")
    Tls tls;

    @Option(names = "--sasl", defaultValue = "PLAIN", description = "PLAIN or SCRAM-SHA-1 (default: PLAIN).")
    SessionSettings.Mechanism sasl;

    @Option(names = "--resource", description = "Resource to bind (default: the server chooses one).")
    String resource;

    @Option(names = "--label", defaultValue = "server", description = "Name of the server under test in results, e.g. skerry, prosody, ejabberd.")
    String label;

    @Option(names = "--group", description = "Table this run belongs to in the report (default: scenario, SASL mechanism and TLS).")
    String group;

    @Option(names = "--out", description = "Write the result as JSON to this file.")
    Path out;

    @Option(names = "--server-pid", description = "Pid of the server process to measure (repeat for s2s: one per server).")
    List<Long> serverPids = new ArrayList<>();

    @Option(names = "--jvm-server", description = "The server pids are JVMs: also measure heap after a forced GC (jcmd).")
    boolean jvmServer;

    @Option(names = "--concurrency", defaultValue = "200", description = "Most logins in flight at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--source-ips", split = ",", description = "Local addresses to connect from, round robin (e.g. 127.0.0.1,127.0.0.11).")
    List<String> sourceIps = new ArrayList<>();

    @Option(names = "--timeout", description = "Hard cap on the whole scenario (default depends on the scenario).")
    Duration timeout;

    @Option(names = "--login-timeout", defaultValue = "60s", description = "Longest one login (or registration) may take (default: ${DEFAULT-VALUE}).")
    Duration loginTimeout;

    @Option(names = "--scram-cache", description = "File that keeps SCRAM SaltedPasswords between runs (read at start, written at the end), "
            + "so that logins skip the client's PBKDF2 rounds as clients that remember them do.")
    Path scramCache;

    @Option(names = "--jdk-tls", description = "Use the JDK's TLS engine even when BoringSSL (netty-tcnative) loads.")
    boolean jdkTls;

    @Option(names = "--tls-resume", description = "Let clients resume TLS sessions (BoringSSL engine). Off by default:"
            + " every client is a device that never met the server, so every handshake runs in full, on every server.")
    boolean tlsResume;

    @Option(names = "--tls-groups", defaultValue = "x25519", description = "TLS key exchange groups offered, in order (default: ${DEFAULT-VALUE}, "
            + "one key share as modern clients send; the JDK would otherwise compute an X25519 and a P-256 share per handshake).")
    String tlsGroups;

    @Option(names = "--io-threads", description = "Event loop threads of the tool (default: one per core).")
    Integer ioThreads;
}
