package org.skerry.server.storage;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL server for tests, started from the Debian package's binaries
 * ({@code interop-tests/install-peers.sh} installs them) in a directory of the test's, on 127.0.0.1 and a free
 * port, as the {@code postgres} user when the tests run as root. Used by the storage contract tests and by the
 * end-to-end test that runs a whole node on PostgreSQL.
 */
public final class LocalPostgres implements AutoCloseable {
    public static final String SUPERUSER = "postgres";

    private final Path serverDir;
    private final Path binDir;
    private final Path dataDir;
    private final int port;
    private final AtomicInteger databases = new AtomicInteger();

    private LocalPostgres(Path serverDir, Path binDir, int port) {
        this.serverDir = serverDir;
        this.binDir = binDir;
        this.dataDir = serverDir.resolve("data");
        this.port = port;
    }

    /** Initialises and starts a server in {@code serverDir} (which must be empty or new). */
    public static LocalPostgres start(Path serverDir) throws Exception {
        LocalPostgres server = new LocalPostgres(serverDir, findPostgresBinaries(), freePort());
        Path socketDir = serverDir.resolve("socket");
        Files.createDirectories(socketDir);
        if (runningAsRoot()) {
            // initdb and postgres refuse to run as root: hand the directory to the postgres user.
            UserPrincipalLookupService users = serverDir.getFileSystem().getUserPrincipalLookupService();
            for (Path path : List.of(serverDir, socketDir)) {
                Files.setOwner(path, users.lookupPrincipalByName(SUPERUSER));
            }
        }
        server.run(server.binDir.resolve("initdb").toString(), "-D", server.dataDir.toString(), "-U", SUPERUSER,
                "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync");
        // fsync=off: throw-away data, and the test should not hammer a disk shared with others.
        String options = "-c listen_addresses=127.0.0.1 -c port=" + server.port + " -c unix_socket_directories="
                + socketDir + " -c fsync=off -c max_connections=50";
        server.run(server.binDir.resolve("pg_ctl").toString(), "-D", server.dataDir.toString(), "-o", options,
                "-l", serverDir.resolve("server.log").toString(), "-w", "-t", "60", "start");
        return server;
    }

    /** Creates a fresh database and returns its JDBC URL. */
    public String createDatabase(String prefix) throws Exception {
        String name = prefix + "_" + databases.incrementAndGet();
        try (Connection admin = DriverManager.getConnection(url("postgres"), SUPERUSER, "");
                Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return url(name);
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    @Override
    public void close() throws Exception {
        if (Files.exists(dataDir.resolve("postmaster.pid"))) {
            run(binDir.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "fast", "-w", "stop");
        }
    }

    private static Path findPostgresBinaries() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("PostgreSQL is not installed; run interop-tests/install-peers.sh");
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(version -> version.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("initdb")))
                    .max(Comparator.comparingInt(bin -> parseMajor(bin.getParent().getFileName().toString())))
                    .orElseThrow(() -> new IllegalStateException("no initdb under " + root));
        }
    }

    private static int parseMajor(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Runs a PostgreSQL tool, as the postgres user when we are root, and fails with its output. */
    private void run(String... command) throws Exception {
        List<String> full = new ArrayList<>();
        if (runningAsRoot()) {
            full.addAll(List.of("setpriv", "--reuid=" + SUPERUSER, "--regid=" + SUPERUSER, "--init-groups"));
        }
        full.addAll(List.of(command));
        Path output = Files.createTempFile(serverDir, "cmd", ".log");
        Process process = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(output.toFile())
                .directory(serverDir.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + full);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(full + " exited with " + process.exitValue() + ":\n"
                    + Files.readString(output, StandardCharsets.UTF_8));
        }
    }
}
