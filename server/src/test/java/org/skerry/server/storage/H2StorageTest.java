package org.skerry.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The repository contract on an embedded H2 file, plus what is particular to H2. */
class H2StorageTest extends StorageContractTest {
    @TempDir
    Path tempDir;

    @Override
    protected String newDatabaseUrl() {
        // A directory that does not exist yet: open() must create it.
        return "jdbc:h2:file:" + tempDir.resolve("data/nested/skerry");
    }

    @Override
    protected String user() {
        return "sa";
    }

    @Override
    protected String password() {
        return "";
    }

    @Test
    void anInMemoryDatabaseHasNoSizeOnDisk() {
        try (Database memory = Database.open("jdbc:h2:mem:size-" + System.nanoTime(), "sa", "", 1)) {
            assertThat(memory.sizeBytes()).isEmpty();
        }
    }

    @Test
    void urlGetsTheRequiredSettingsAndTheFileIsCreated() {
        assertThat(database.isPostgres()).isFalse();
        assertThat(database.jdbcUrl())
                .contains(";MODE=PostgreSQL")
                .contains(";DATABASE_TO_LOWER=TRUE")
                .contains(";DEFAULT_NULL_ORDERING=HIGH")
                .contains(";WRITE_DELAY=0");
        assertThat(tempDir.resolve("data/nested/skerry.mv.db")).exists();
    }

    /**
     * H2 would keep every commit's chunk of the file for 45 s (0.8 GB at 1000 commits/s); 5 s leaves a margin because
     * the file is forced to disk every second.
     */
    @Test
    void aFileDatabaseHasAFiveSecondRetentionAndIsForcedToDiskEverySecond() throws Exception {
        int retention = database.inTransaction(connection -> {
            try (Statement query = connection.createStatement();
                 ResultSet result = query.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                         + " WHERE SETTING_NAME = 'RETENTION_TIME'")) {
                result.next();
                return result.getInt(1);
            }
        });
        assertThat(retention).isEqualTo(5000);
        awaitSyncs(2);
        assertThat(database.syncsCompleted()).as("syncs in 10 s").isGreaterThanOrEqualTo(2);
        try (Database memory = Database.open("jdbc:h2:mem:sync-" + System.nanoTime(), "sa", "", 1)) {
            Thread.sleep(H2Syncer.INTERVAL.toMillis() + 200);
            assertThat(memory.syncsCompleted()).as("nothing to sync in memory").isZero();
        }
    }

    @Test
    void syncingGoesOnAfterTheDatabaseWasShutDownAndOpenedAgain() throws Exception {
        awaitSyncs(1);
        assertThatThrownBy(() -> database.inTransaction(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SHUTDOWN");
            }
            return null;
        })).hasMessageContaining("closed"); // the commit after it finds the database gone
        Thread.sleep(600); // past HikariCP's 500 ms in which it hands out a connection without checking it
        createUser("after"); // the pool drops its dead connections and opens the database again
        long before = database.syncsCompleted();
        awaitSyncs(before + 2);
        assertThat(database.syncsCompleted()).as("syncs after the shutdown").isGreaterThanOrEqualTo(before + 2);
    }

    private void awaitSyncs(long count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (database.syncsCompleted() < count && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    @Test
    void anAdminsRetentionTimeIsKept() {
        database.close();
        database = Database.open("jdbc:h2:file:" + tempDir.resolve("kept") + ";RETENTION_TIME=45000", "sa", "", 1);
        assertThat(database.jdbcUrl()).contains("RETENTION_TIME=45000").doesNotContain("RETENTION_TIME=5000");
    }

    @Test
    void settingsAlreadyPresentAreNotRepeated() {
        database.close();
        String url = "jdbc:h2:file:" + tempDir.resolve("other") + ";mode=PostgreSQL;write_delay=0;LOCK_TIMEOUT=2000";
        database = Database.open(url, "sa", "", 1);
        String used = database.jdbcUrl();
        assertThat(used.toUpperCase().split(";WRITE_DELAY=", -1)).hasSize(2);
        assertThat(used.toUpperCase().split(";MODE=", -1)).hasSize(2);
        assertThat(used).contains("LOCK_TIMEOUT=2000").doesNotContain("LOCK_TIMEOUT=10000");
        assertThat(used).contains(";DATABASE_TO_LOWER=TRUE");
    }

    @Test
    void conflictingSettingsAreRefused() {
        String base = "jdbc:h2:file:" + tempDir.resolve("bad");
        assertThatThrownBy(() -> Database.open(base + ";WRITE_DELAY=500", "sa", "", 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("WRITE_DELAY");
        assertThatThrownBy(() -> Database.open(base + ";MODE=MySQL", "sa", "", 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MODE");
        assertThatThrownBy(() -> Database.open("jdbc:mysql://localhost/x", "u", "p", 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Database.open(base, "sa", "", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void migrationsAreAppliedOnceAcrossReopens() {
        createUser("alice");
        reopen();
        reopen();
        assertThat(accounts.list(DOMAIN)).containsExactly("alice");
    }

    /**
     * Commits in a child JVM that then dies without any shutdown (Runtime.halt, as on a crash or kill -9)
     * and checks that every committed row is there: this fails with H2's default WRITE_DELAY of 500 ms.
     */
    @Test
    void committedRowsSurviveAKilledProcess() throws Exception {
        database.close();
        String url = "jdbc:h2:file:" + tempDir.resolve("crash/skerry");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CommitThenHalt.class.getName(), url, "200")
                .redirectErrorStream(true)
                .redirectOutput(tempDir.resolve("child.log").toFile())
                .start();
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("child finished").isTrue();
        String log = Files.readString(tempDir.resolve("child.log"), StandardCharsets.UTF_8);
        assertThat(log).as("child output").contains(CommitThenHalt.DONE);

        database = Database.open(url, "sa", "", 1);
        assertThat(new OfflineRepository(database).count(DOMAIN, "victim")).isEqualTo(200);
    }

    /** The child process of {@link #committedRowsSurviveAKilledProcess}. */
    public static final class CommitThenHalt {
        static final String DONE = "COMMITTED-ALL";

        public static void main(String[] args) {
            Database database = Database.open(args[0], "sa", "", 1);
            new AccountRepository(database).create(DOMAIN, "victim", List.of());
            OfflineRepository offline = new OfflineRepository(database);
            int count = Integer.parseInt(args[1]);
            for (int i = 0; i < count; i++) {
                if (!offline.store(DOMAIN, "victim", "<message id='" + i + "'/>", Instant.now(), count)) {
                    throw new IllegalStateException("quota hit at " + i);
                }
            }
            System.out.println(DONE);
            System.out.flush();
            Runtime.getRuntime().halt(0); // no close, no shutdown hooks: like a crash
        }
    }
}
