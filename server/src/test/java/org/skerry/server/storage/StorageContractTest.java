package org.skerry.server.storage;

import org.skerry.server.auth.ScramCredential;
import org.skerry.server.auth.ScramHash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The repository tests, run against every supported database by the subclasses ({@link H2StorageTest},
 * {@link PostgresStorageTest}), so that the one SQL dialect is proven on both.
 */
abstract class StorageContractTest {
    static final String DOMAIN = "example.org";

    protected Database database;
    protected AccountRepository accounts;
    protected RosterRepository roster;
    protected OfflineRepository offline;
    protected PrivateXmlRepository privateXml;
    private String url;

    /** A JDBC URL of a new, empty database for one test. */
    protected abstract String newDatabaseUrl() throws Exception;

    protected abstract String user();

    protected abstract String password();

    @BeforeEach
    void openDatabase() throws Exception {
        url = newDatabaseUrl();
        open();
    }

    @AfterEach
    void closeDatabase() {
        if (database != null) {
            database.close();
        }
    }

    private void open() {
        database = Database.open(url, user(), password(), 4);
        accounts = new AccountRepository(database);
        roster = new RosterRepository(database);
        offline = new OfflineRepository(database);
        privateXml = new PrivateXmlRepository(database);
    }

    /** Closes the database and opens it again from the same URL, as a restart of the node would. */
    protected void reopen() {
        database.close();
        open();
    }

    static ScramCredential credential(ScramHash hash, int seed) {
        return new ScramCredential(hash, bytes(16, seed), 4096 + seed, bytes(hash.outputLength(), seed + 1),
                bytes(hash.outputLength(), seed + 2));
    }

    static byte[] bytes(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (seed * 31 + i * 7); // covers negative byte values too
        }
        return bytes;
    }

    void createUser(String username) {
        assertThat(accounts.create(DOMAIN, username, List.of(credential(ScramHash.SHA_256, 1)))).isTrue();
    }

    @Test
    void reportsHowMuchDiskItTakes() {
        assertThat(database.sizeBytes()).as("the database's size").isPresent();
        assertThat(database.sizeBytes().getAsLong()).isPositive();
    }

    // ---------------------------------------------------------------- accounts

    @Test
    void createsAccountOnceAndReportsItsExistence() {
        List<ScramCredential> credentials = List.of(credential(ScramHash.SHA_1, 1), credential(ScramHash.SHA_256, 2),
                credential(ScramHash.SHA_512, 3));
        assertThat(accounts.exists(DOMAIN, "alice")).isFalse();
        assertThat(accounts.create(DOMAIN, "alice", credentials)).isTrue();
        assertThat(accounts.exists(DOMAIN, "alice")).isTrue();
        assertThat(accounts.exists("other.org", "alice")).isFalse();
        assertThat(accounts.exists(DOMAIN, "Alice")).as("storage compares exactly; callers prepare").isFalse();

        assertThat(accounts.create(DOMAIN, "alice", List.of(credential(ScramHash.SHA_1, 9)))).isFalse();
        assertThat(accounts.credential(DOMAIN, "alice", ScramHash.SHA_1)).contains(credential(ScramHash.SHA_1, 1));
    }

    @Test
    void credentialsRoundTripByteForByte() {
        List<ScramCredential> credentials = List.of(credential(ScramHash.SHA_1, 1), credential(ScramHash.SHA_256, 2),
                credential(ScramHash.SHA_512, 3));
        accounts.create(DOMAIN, "alice", credentials);
        for (ScramCredential expected : credentials) {
            ScramCredential actual = accounts.credential(DOMAIN, "alice", expected.hash()).orElseThrow();
            assertThat(actual).isEqualTo(expected);
            assertThat(actual.salt()).isEqualTo(expected.salt());
            assertThat(actual.storedKey()).isEqualTo(expected.storedKey());
            assertThat(actual.serverKey()).isEqualTo(expected.serverKey());
            assertThat(actual.iterations()).isEqualTo(expected.iterations());
        }
        assertThat(accounts.credential(DOMAIN, "nobody", ScramHash.SHA_1)).isEmpty();
    }

    @Test
    void accountWithoutCredentialsIsAllowed() {
        assertThat(accounts.create(DOMAIN, "nopass", List.of())).isTrue();
        assertThat(accounts.credential(DOMAIN, "nopass", ScramHash.SHA_256)).isEmpty();
    }

    @Test
    void rejectsTwoCredentialsOfOneMechanismWithoutCreatingTheAccount() {
        assertThatThrownBy(() -> accounts.create(DOMAIN, "alice",
                List.of(credential(ScramHash.SHA_1, 1), credential(ScramHash.SHA_1, 2))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(accounts.exists(DOMAIN, "alice")).isFalse();
    }

    @Test
    void listsAndCountsPerDomain() {
        for (String name : List.of("carol", "alice", "bob")) {
            createUser(name);
        }
        accounts.create("other.org", "zed", List.of());
        assertThat(accounts.list(DOMAIN)).containsExactly("alice", "bob", "carol");
        assertThat(accounts.list("other.org")).containsExactly("zed");
        assertThat(accounts.list("empty.org")).isEmpty();
        assertThat(accounts.count(DOMAIN)).isEqualTo(3);
        assertThat(accounts.count("empty.org")).isZero();
        assertThat(accounts.countAll()).isEqualTo(4);
    }

    @Test
    void replacesAllCredentialsAtOnce() {
        accounts.create(DOMAIN, "alice", List.of(credential(ScramHash.SHA_1, 1), credential(ScramHash.SHA_256, 2)));
        assertThat(accounts.replaceCredentials(DOMAIN, "alice",
                List.of(credential(ScramHash.SHA_256, 5), credential(ScramHash.SHA_512, 6)))).isTrue();
        assertThat(accounts.credential(DOMAIN, "alice", ScramHash.SHA_1)).as("old mechanism gone").isEmpty();
        assertThat(accounts.credential(DOMAIN, "alice", ScramHash.SHA_256)).contains(credential(ScramHash.SHA_256, 5));
        assertThat(accounts.credential(DOMAIN, "alice", ScramHash.SHA_512)).contains(credential(ScramHash.SHA_512, 6));
        assertThat(accounts.replaceCredentials(DOMAIN, "nobody", List.of(credential(ScramHash.SHA_1, 1)))).isFalse();
        assertThat(accounts.exists(DOMAIN, "nobody")).isFalse();
    }

    @Test
    void deleteReportsWhetherThereWasAnAccount() {
        createUser("alice");
        assertThat(accounts.delete(DOMAIN, "alice")).isTrue();
        assertThat(accounts.exists(DOMAIN, "alice")).isFalse();
        assertThat(accounts.delete(DOMAIN, "alice")).isFalse();
    }

    @Test
    void searchPagesThroughOneDomainByLocalpartFragment() {
        for (int i = 0; i < 7; i++) {
            createUser("user" + i);
        }
        createUser("admin");
        accounts.create("other.org", "user9", List.of());

        assertThat(accounts.search(DOMAIN, "", 0, 100)).extracting(AccountSummary::username)
                .containsExactly("admin", "user0", "user1", "user2", "user3", "user4", "user5", "user6");
        assertThat(accounts.search(DOMAIN, "ser", 0, 3)).extracting(AccountSummary::username)
                .containsExactly("user0", "user1", "user2");
        assertThat(accounts.search(DOMAIN, "ser", 6, 3)).extracting(AccountSummary::username).containsExactly("user6");
        assertThat(accounts.search(DOMAIN, "ser", 9, 3)).isEmpty();
        assertThat(accounts.countMatching(DOMAIN, "ser")).isEqualTo(7);
        assertThat(accounts.countMatching(DOMAIN, "")).isEqualTo(8);
        assertThat(accounts.countMatching(DOMAIN, "nobody")).isZero();
        AccountSummary first = accounts.search(DOMAIN, "admin", 0, 1).get(0);
        assertThat(first.domain()).isEqualTo(DOMAIN);
        assertThat(first.createdAt()).isBetween(Instant.now().minusSeconds(600), Instant.now().plusSeconds(600));
        assertThat(first.locked()).isFalse();
    }

    @Test
    void searchMatchesWildcardsAndTheEscapeLiterally() {
        for (String name : List.of("a_b", "axb", "50%", "500", "hey!", "hey")) {
            assertThat(accounts.create(DOMAIN, name, List.of())).isTrue();
        }
        assertThat(accounts.search(DOMAIN, "_", 0, 10)).extracting(AccountSummary::username).containsExactly("a_b");
        assertThat(accounts.search(DOMAIN, "%", 0, 10)).extracting(AccountSummary::username).containsExactly("50%");
        assertThat(accounts.search(DOMAIN, "!", 0, 10)).extracting(AccountSummary::username).containsExactly("hey!");
        assertThat(accounts.countMatching(DOMAIN, "'")).isZero();
    }

    @Test
    void lockingKeepsTheFirstTimeAndUnlockingClearsIt() {
        createUser("alice");
        createUser("bob");
        Instant first = Instant.parse("2030-01-02T03:04:05.123456Z");
        assertThat(accounts.setLocked(DOMAIN, "alice", first)).isTrue();
        assertThat(accounts.setLocked(DOMAIN, "alice", first.plusSeconds(60))).as("idempotent").isTrue();
        assertThat(accounts.summary(DOMAIN, "alice").orElseThrow().lockedAt()).isEqualTo(first);
        assertThat(accounts.summary(DOMAIN, "bob").orElseThrow().locked()).isFalse();
        assertThat(accounts.locked()).extracting(AccountSummary::username).containsExactly("alice");
        reopen();
        assertThat(accounts.locked()).extracting(AccountSummary::lockedAt).containsExactly(first);

        assertThat(accounts.setLocked(DOMAIN, "alice", null)).isTrue();
        assertThat(accounts.summary(DOMAIN, "alice").orElseThrow().locked()).isFalse();
        assertThat(accounts.locked()).isEmpty();
        assertThat(accounts.setLocked(DOMAIN, "nobody", first)).isFalse();
        assertThat(accounts.summary(DOMAIN, "nobody")).isEmpty();
        assertThat(accounts.exists(DOMAIN, "nobody")).isFalse();
    }

    @Test
    void hostileNamesAreStoredVerbatimAndHarmless() {
        String injection = "x'); DROP TABLE accounts; --";
        String unicode = "ünïcødé-用户-\uD83D\uDE00";
        assertThat(accounts.create(DOMAIN, injection, List.of())).isTrue();
        assertThat(accounts.create(DOMAIN, unicode, List.of())).isTrue();
        assertThat(accounts.create(DOMAIN, "%", List.of())).isTrue();
        assertThat(accounts.list(DOMAIN)).containsExactlyInAnyOrder(injection, unicode, "%");
        assertThat(accounts.exists(DOMAIN, "_")).as("no LIKE semantics").isFalse();
        assertThat(accounts.countAll()).isEqualTo(3);
    }

    @Test
    void oversizedUsernameFailsWithoutPartialState() {
        String tooLong = "a".repeat(5000);
        assertThatThrownBy(() -> accounts.create(DOMAIN, tooLong, List.of(credential(ScramHash.SHA_1, 1))))
                .isInstanceOf(StorageException.class);
        assertThat(accounts.countAll()).isZero();
    }

    @Test
    void nullArgumentsAreRejectedBeforeTouchingTheDatabase() {
        assertThatThrownBy(() -> accounts.create(null, "a", List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> accounts.create(DOMAIN, "a", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> roster.put(DOMAIN, null, RosterItem.of("b@x", null, List.of())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentCreatesOfOneNameLetExactlyOneWin() throws Exception {
        List<Callable<Boolean>> attempts = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        for (int i = 0; i < 8; i++) {
            int seed = i;
            attempts.add(() -> {
                start.await();
                return accounts.create(DOMAIN, "race", List.of(credential(ScramHash.SHA_256, seed)));
            });
        }
        List<Boolean> results = runConcurrently(attempts, start);
        assertThat(results).filteredOn(Boolean::booleanValue).hasSize(1);
        assertThat(accounts.count(DOMAIN)).isEqualTo(1);
    }

    // ---------------------------------------------------------------- cascade

    @Test
    void deletingAnAccountDeletesEverythingOfThatUserOnly() throws SQLException {
        for (String user : List.of("alice", "bob")) {
            createUser(user);
            roster.put(DOMAIN, user, RosterItem.of("carol@example.net", "Carol", List.of("Friends", "Work")));
            roster.put(DOMAIN, user, RosterItem.of("dave@example.net", null, List.of()));
            roster.remove(DOMAIN, user, "dave@example.net"); // leaves a tombstone
            offline.store(DOMAIN, user, "<message/>", Instant.now(), 10);
            privateXml.put(DOMAIN, user, "storage:bookmarks", "<storage xmlns='storage:bookmarks'/>");
        }

        assertThat(accounts.delete(DOMAIN, "alice")).isTrue();

        for (String table : List.of("accounts", "credentials", "roster_items", "roster_groups",
                "roster_tombstones", "offline_messages", "private_xml")) {
            assertThat(rowsOf(table, "alice")).as(table + " rows of alice").isZero();
            assertThat(rowsOf(table, "bob")).as(table + " rows of bob").isPositive();
        }
        // A new account of the same name starts empty.
        createUser("alice");
        assertThat(roster.items(DOMAIN, "alice")).isEmpty();
        assertThat(roster.version(DOMAIN, "alice")).isZero();
        assertThat(offline.count(DOMAIN, "alice")).isZero();
        assertThat(privateXml.get(DOMAIN, "alice", "storage:bookmarks")).isEmpty();
    }

    private long rowsOf(String table, String username) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement count = connection.prepareStatement(
                        "SELECT COUNT(*) FROM " + table + " WHERE domain = ? AND username = ?")) {
            count.setString(1, DOMAIN);
            count.setString(2, username);
            try (ResultSet row = count.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    // ---------------------------------------------------------------- roster

    @Test
    void putInsertsThenUpdatesAndBumpsTheVersion() {
        createUser("alice");
        assertThat(roster.version(DOMAIN, "alice")).isZero();
        RosterItem first = new RosterItem("bob@example.net", "Bob", "none", true, false, false,
                List.of("Friends", "Chess"), null);
        assertThat(roster.put(DOMAIN, "alice", first)).isEqualTo(1);
        assertThat(roster.item(DOMAIN, "alice", "bob@example.net")).contains(first);

        String subscribe = "<presence from='bob@example.net' to='alice@example.org' type='subscribe'>"
                + "<status>Hi &amp; hello ‘quotes’</status></presence>";
        RosterItem updated = new RosterItem("bob@example.net", null, "to", false, true, true, List.of("Work"),
                subscribe);
        assertThat(roster.put(DOMAIN, "alice", updated)).isEqualTo(2);
        assertThat(roster.item(DOMAIN, "alice", "bob@example.net")).contains(updated);
        assertThat(roster.items(DOMAIN, "alice")).containsExactly(updated);
        assertThat(roster.version(DOMAIN, "alice")).isEqualTo(2);
    }

    @Test
    void itemsAreSortedAndKeepGroupOrder() {
        createUser("alice");
        roster.put(DOMAIN, "alice", RosterItem.of("zoe@example.net", "Zoe", List.of("B", "A", "C")));
        roster.put(DOMAIN, "alice", RosterItem.of("adam@example.net", null, List.of()));
        roster.put(DOMAIN, "alice", RosterItem.of("mia@example.net", "Mia", List.of("A", "A", "B")));
        List<RosterItem> items = roster.items(DOMAIN, "alice");
        assertThat(items).extracting(RosterItem::contactJid)
                .containsExactly("adam@example.net", "mia@example.net", "zoe@example.net");
        assertThat(items.get(0).groups()).isEmpty();
        assertThat(items.get(1).groups()).as("duplicates dropped").containsExactly("A", "B");
        assertThat(items.get(2).groups()).containsExactly("B", "A", "C");
        assertThat(roster.items(DOMAIN, "bob")).isEmpty();
        assertThat(roster.item(DOMAIN, "alice", "nobody@example.net")).isEmpty();
    }

    @Test
    void removeReturnsTheNewVersionOrZeroWhenAbsent() {
        createUser("alice");
        roster.put(DOMAIN, "alice", RosterItem.of("bob@example.net", "Bob", List.of("Friends")));
        assertThat(roster.remove(DOMAIN, "alice", "bob@example.net")).isEqualTo(2);
        assertThat(roster.items(DOMAIN, "alice")).isEmpty();
        assertThat(roster.remove(DOMAIN, "alice", "bob@example.net")).isZero();
        assertThat(roster.version(DOMAIN, "alice")).as("absent remove changes nothing").isEqualTo(2);
    }

    @Test
    void writesForAMissingAccountFail() {
        RosterItem item = RosterItem.of("bob@example.net", null, List.of());
        assertThatThrownBy(() -> roster.put(DOMAIN, "ghost", item)).isInstanceOf(NoSuchAccountException.class);
        assertThatThrownBy(() -> roster.remove(DOMAIN, "ghost", "bob@example.net"))
                .isInstanceOf(NoSuchAccountException.class);
        assertThatThrownBy(() -> offline.store(DOMAIN, "ghost", "<message/>", Instant.now(), 10))
                .isInstanceOf(NoSuchAccountException.class);
        assertThatThrownBy(() -> privateXml.put(DOMAIN, "ghost", "ns", "<x xmlns='ns'/>"))
                .isInstanceOf(NoSuchAccountException.class);
        assertThat(roster.version(DOMAIN, "ghost")).isZero();
        assertThat(roster.changesSince(DOMAIN, "ghost", 0)).isEmpty();
    }

    @Test
    void deltaHoldsOnlyWhatChangedAfterTheClientsVersion() {
        createUser("alice");
        roster.put(DOMAIN, "alice", RosterItem.of("a@x.net", "A", List.of()));          // v1
        roster.put(DOMAIN, "alice", RosterItem.of("b@x.net", "B", List.of()));          // v2
        roster.put(DOMAIN, "alice", RosterItem.of("c@x.net", "C", List.of()));          // v3
        long clientVersion = roster.version(DOMAIN, "alice");
        roster.put(DOMAIN, "alice", RosterItem.of("a@x.net", "A renamed", List.of("G"))); // v4
        roster.remove(DOMAIN, "alice", "b@x.net");                                        // v5

        RosterDelta delta = roster.changesSince(DOMAIN, "alice", clientVersion).orElseThrow();
        assertThat(delta.version()).isEqualTo(5);
        assertThat(delta.changed()).extracting(RosterItem::name).containsExactly("A renamed");
        assertThat(delta.changed().get(0).groups()).containsExactly("G");
        assertThat(delta.removed()).containsExactly("b@x.net");

        RosterDelta fromScratch = roster.changesSince(DOMAIN, "alice", 0).orElseThrow();
        assertThat(fromScratch.changed()).extracting(RosterItem::contactJid).containsExactly("a@x.net", "c@x.net");
        assertThat(fromScratch.removed()).containsExactly("b@x.net");

        RosterDelta upToDate = roster.changesSince(DOMAIN, "alice", 5).orElseThrow();
        assertThat(upToDate.changed()).isEmpty();
        assertThat(upToDate.removed()).isEmpty();

        assertThat(roster.changesSince(DOMAIN, "alice", 6)).as("version from the future").isEmpty();
        assertThat(roster.changesSince(DOMAIN, "alice", -1)).isEmpty();
    }

    @Test
    void readdingAContactClearsItsTombstone() {
        createUser("alice");
        roster.put(DOMAIN, "alice", RosterItem.of("b@x.net", "B", List.of()));   // v1
        roster.remove(DOMAIN, "alice", "b@x.net");                               // v2
        roster.put(DOMAIN, "alice", RosterItem.of("b@x.net", "B2", List.of())); // v3
        RosterDelta delta = roster.changesSince(DOMAIN, "alice", 1).orElseThrow();
        assertThat(delta.removed()).isEmpty();
        assertThat(delta.changed()).extracting(RosterItem::name).containsExactly("B2");
    }

    @Test
    void concurrentRosterWritesNeverReuseAVersion() throws Exception {
        createUser("alice");
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Long>> writes = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String contact = "c" + (i % 10) + "@x.net";
            writes.add(() -> {
                start.await();
                return roster.put(DOMAIN, "alice", RosterItem.of(contact, null, List.of("g")));
            });
        }
        List<Long> versions = runConcurrently(writes, start);
        assertThat(new HashSet<>(versions)).hasSize(40);
        assertThat(Collections.max(versions)).isEqualTo(40);
        assertThat(roster.version(DOMAIN, "alice")).isEqualTo(40);
        assertThat(roster.items(DOMAIN, "alice")).hasSize(10);
    }

    @Test
    void rosterItemRejectsInvalidValues() {
        assertThatThrownBy(() -> new RosterItem("b@x", null, "remove", false, false, false, List.of(), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RosterItem("", null, "none", false, false, false, List.of(), null))
                .isInstanceOf(IllegalArgumentException.class);
        List<String> withNull = new ArrayList<>();
        withNull.add(null);
        assertThatThrownBy(() -> RosterItem.of("b@x", null, withNull)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void failedRosterPutLeavesTheRosterAsItWas() {
        createUser("alice");
        roster.put(DOMAIN, "alice", RosterItem.of("b@x.net", "B", List.of("G")));
        RosterItem oversizedGroup = RosterItem.of("b@x.net", "B2", List.of("ok", "g".repeat(5000)));
        assertThatThrownBy(() -> roster.put(DOMAIN, "alice", oversizedGroup)).isInstanceOf(StorageException.class);
        assertThat(roster.items(DOMAIN, "alice")).containsExactly(RosterItem.of("b@x.net", "B", List.of("G")));
        assertThat(roster.version(DOMAIN, "alice")).isEqualTo(1);
    }

    // ---------------------------------------------------------------- offline

    @Test
    void storesAndFetchesInInsertionOrder() {
        createUser("alice");
        Instant base = Instant.parse("2025-01-02T03:04:05.123456789Z");
        for (int i = 0; i < 5; i++) {
            assertThat(offline.store(DOMAIN, "alice", "<message id='" + i + "'/>", base.plusSeconds(-i), 100))
                    .isTrue();
        }
        List<OfflineMessage> firstThree = offline.fetch(DOMAIN, "alice", 3);
        assertThat(firstThree).extracting(OfflineMessage::stanzaXml)
                .containsExactly("<message id='0'/>", "<message id='1'/>", "<message id='2'/>");
        assertThat(firstThree.get(0).storedAt()).isEqualTo(base.truncatedTo(ChronoUnit.MICROS));
        assertThat(firstThree.get(1).storedAt()).isEqualTo(base.minusSeconds(1).truncatedTo(ChronoUnit.MICROS));
        assertThat(offline.fetch(DOMAIN, "alice", 100)).hasSize(5);
        assertThat(offline.fetch(DOMAIN, "alice", 0)).isEmpty();
        assertThat(offline.fetch(DOMAIN, "bob", 10)).isEmpty();
        assertThat(offline.count(DOMAIN, "alice")).isEqualTo(5);
    }

    @Test
    void deletesOnlyTheGivenIdsOfThatUser() {
        createUser("alice");
        createUser("bob");
        for (int i = 0; i < 4; i++) {
            offline.store(DOMAIN, "alice", "<message id='a" + i + "'/>", Instant.now(), 100);
        }
        offline.store(DOMAIN, "bob", "<message id='b'/>", Instant.now(), 100);
        List<OfflineMessage> aliceMessages = offline.fetch(DOMAIN, "alice", 10);
        long bobsId = offline.fetch(DOMAIN, "bob", 1).get(0).id();

        offline.delete(DOMAIN, "alice", List.of(aliceMessages.get(0).id(), aliceMessages.get(2).id(), bobsId,
                Long.MAX_VALUE));
        assertThat(offline.fetch(DOMAIN, "alice", 10)).extracting(OfflineMessage::stanzaXml)
                .containsExactly("<message id='a1'/>", "<message id='a3'/>");
        assertThat(offline.count(DOMAIN, "bob")).as("bob's id given for alice is ignored").isEqualTo(1);

        offline.delete(DOMAIN, "alice", List.of(aliceMessages.get(0).id())); // again: harmless
        offline.delete(DOMAIN, "alice", List.of());
        assertThat(offline.count(DOMAIN, "alice")).isEqualTo(2);
    }

    @Test
    void quotaRefusesTheMessageBeyondTheLimit() {
        createUser("alice");
        for (int i = 0; i < 3; i++) {
            assertThat(offline.store(DOMAIN, "alice", "<message/>", Instant.now(), 3)).isTrue();
        }
        assertThat(offline.store(DOMAIN, "alice", "<message id='over'/>", Instant.now(), 3)).isFalse();
        assertThat(offline.count(DOMAIN, "alice")).isEqualTo(3);
        offline.delete(DOMAIN, "alice", List.of(offline.fetch(DOMAIN, "alice", 1).get(0).id()));
        assertThat(offline.store(DOMAIN, "alice", "<message/>", Instant.now(), 3)).as("room again").isTrue();
        assertThat(offline.store(DOMAIN, "alice", "<message/>", Instant.now(), 0)).as("quota 0").isFalse();
        assertThatThrownBy(() -> offline.store(DOMAIN, "alice", "<message/>", Instant.now(), -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void largeStanzaWithAwkwardCharactersRoundTrips() {
        createUser("alice");
        String body = "<>&\"' \t\r\n ünï \uD83D\uDE00 ".repeat(20_000); // ~0.5 M characters
        String stanza = "<message><body>" + body + "</body></message>";
        assertThat(offline.store(DOMAIN, "alice", stanza, Instant.now(), 10)).isTrue();
        assertThat(offline.fetch(DOMAIN, "alice", 1).get(0).stanzaXml()).isEqualTo(stanza);
    }

    @Test
    void concurrentStoresNeverExceedTheQuota() throws Exception {
        createUser("alice");
        int quota = 30;
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Boolean>> stores = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            String stanza = "<message id='m" + i + "'/>";
            stores.add(() -> {
                start.await();
                return offline.store(DOMAIN, "alice", stanza, Instant.now(), quota);
            });
        }
        List<Boolean> results = runConcurrently(stores, start);
        assertThat(results).filteredOn(Boolean::booleanValue).hasSize(quota);
        assertThat(offline.count(DOMAIN, "alice")).isEqualTo(quota);
        List<OfflineMessage> stored = offline.fetch(DOMAIN, "alice", 1000);
        assertThat(stored).hasSize(quota);
        assertThat(stored).extracting(OfflineMessage::id).isSorted().doesNotHaveDuplicates();
    }

    // ---------------------------------------------------------------- private XML

    @Test
    void privateXmlInsertsThenReplaces() {
        createUser("alice");
        assertThat(privateXml.get(DOMAIN, "alice", "storage:bookmarks")).isEmpty();
        privateXml.put(DOMAIN, "alice", "storage:bookmarks", "<storage xmlns='storage:bookmarks'/>");
        privateXml.put(DOMAIN, "alice", "exodus:prefs", "<prefs xmlns='exodus:prefs'/>");
        assertThat(privateXml.get(DOMAIN, "alice", "storage:bookmarks")).contains("<storage xmlns='storage:bookmarks'/>");

        String replaced = "<storage xmlns='storage:bookmarks'><conference jid='a@b'/></storage>";
        privateXml.put(DOMAIN, "alice", "storage:bookmarks", replaced); // MERGE's update path
        assertThat(privateXml.get(DOMAIN, "alice", "storage:bookmarks")).contains(replaced);
        assertThat(privateXml.get(DOMAIN, "alice", "exodus:prefs")).contains("<prefs xmlns='exodus:prefs'/>");
        assertThat(privateXml.get(DOMAIN, "bob", "storage:bookmarks")).isEmpty();
    }

    @Test
    void concurrentFirstPutsOfOneNamespaceDoNotCollide() throws Exception {
        createUser("alice");
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Boolean>> puts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String element = "<x xmlns='race'>" + i + "</x>";
            puts.add(() -> {
                start.await();
                privateXml.put(DOMAIN, "alice", "race", element);
                return true;
            });
        }
        assertThat(runConcurrently(puts, start)).containsOnly(true);
        assertThat(privateXml.get(DOMAIN, "alice", "race")).get().asString().startsWith("<x xmlns='race'>");
    }

    // ---------------------------------------------------------------- database

    @Test
    void inTransactionRollsBackWhenTheWorkFails() {
        assertThatThrownBy(() -> database.inTransaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO accounts (domain, username) VALUES (?, ?)")) {
                insert.setString(1, DOMAIN);
                insert.setString(2, "half");
                insert.executeUpdate();
            }
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(accounts.exists(DOMAIN, "half")).isFalse();

        assertThatThrownBy(() -> database.inTransaction(connection -> {
            connection.createStatement().execute("SELECT * FROM no_such_table");
            return null;
        })).isInstanceOf(StorageException.class);
    }

    @Test
    void everythingSurvivesCloseAndReopen() {
        accounts.create(DOMAIN, "alice", List.of(credential(ScramHash.SHA_512, 7)));
        roster.put(DOMAIN, "alice", RosterItem.of("bob@x.net", "Bob", List.of("G1", "G2")));
        offline.store(DOMAIN, "alice", "<message id='kept'/>", Instant.parse("2024-02-29T12:00:00Z"), 10);
        privateXml.put(DOMAIN, "alice", "ns", "<q xmlns='ns'/>");

        reopen();

        assertThat(accounts.credential(DOMAIN, "alice", ScramHash.SHA_512)).contains(credential(ScramHash.SHA_512, 7));
        assertThat(roster.items(DOMAIN, "alice")).containsExactly(RosterItem.of("bob@x.net", "Bob", List.of("G1", "G2")));
        assertThat(roster.version(DOMAIN, "alice")).isEqualTo(1);
        assertThat(offline.fetch(DOMAIN, "alice", 10)).singleElement()
                .satisfies(m -> assertThat(m.storedAt()).isEqualTo(Instant.parse("2024-02-29T12:00:00Z")));
        assertThat(privateXml.get(DOMAIN, "alice", "ns")).contains("<q xmlns='ns'/>");
    }

    static <T> List<T> runConcurrently(List<Callable<T>> tasks, CountDownLatch start) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(threads.submit(task));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            threads.shutdownNow();
        }
    }
}
