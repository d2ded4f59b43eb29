package org.skerry.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository contract on a real PostgreSQL server, which this class starts from the Debian package's
 * binaries ({@code interop-tests/install-peers.sh} installs them) in a temporary directory, on 127.0.0.1
 * and a free port, and stops at the end. Each test gets a new database.
 *
 * <p>Runs only with {@code -Dskerry.interop=true} (the {@code interop} Maven profile).
 */
@EnabledIfSystemProperty(named = "skerry.interop", matches = "true")
class PostgresStorageTest extends StorageContractTest {
    private static final String SUPERUSER = "postgres";
    private static final AtomicInteger DATABASES = new AtomicInteger();

    @TempDir
    static Path serverDir;

    private static Path binDir;
    private static Path dataDir;
    private static int port;

    @BeforeAll
    static void startServer() throws Exception {
        binDir = findPostgresBinaries();
        dataDir = serverDir.resolve("data");
        Path socketDir = serverDir.resolve("socket");
        Files.createDirectories(socketDir);
        if (runningAsRoot()) {
            // initdb and postgres refuse to run as root: hand the directory to the postgres user.
            UserPrincipalLookupService users = serverDir.getFileSystem().getUserPrincipalLookupService();
            for (Path path : List.of(serverDir, socketDir)) {
                Files.setOwner(path, users.lookupPrincipalByName(SUPERUSER));
            }
        }
        run(binDir.resolve("initdb").toString(), "-D", dataDir.toString(), "-U", SUPERUSER, "--auth=trust",
                "-E", "UTF8", "--no-locale", "--no-sync");
        port = freePort();
        // fsync=off: throw-away data, and the test should not hammer a disk shared with others.
        String options = "-c listen_addresses=127.0.0.1 -c port=" + port + " -c unix_socket_directories="
                + socketDir + " -c fsync=off -c max_connections=50";
        run(binDir.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-o", options,
                "-l", serverDir.resolve("server.log").toString(), "-w", "-t", "60", "start");
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (dataDir != null && Files.exists(dataDir.resolve("postmaster.pid"))) {
            run(binDir.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "fast", "-w", "stop");
        }
    }

    @Override
    protected String newDatabaseUrl() throws Exception {
        String name = "skerry_test_" + DATABASES.incrementAndGet();
        try (Connection admin = DriverManager.getConnection(url("postgres"), SUPERUSER, "");
                Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return url(name);
    }

    private static String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    @Override
    protected String user() {
        return SUPERUSER;
    }

    @Override
    protected String password() {
        return "";
    }

    @Test
    void reportsPostgresAndAServerOfVersion15OrLater() throws Exception {
        assertThat(database.isPostgres()).isTrue();
        try (Connection connection = database.dataSource().getConnection()) {
            assertThat(connection.getMetaData().getDatabaseMajorVersion()).isGreaterThanOrEqualTo(15);
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
    private static void run(String... command) throws Exception {
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
