package org.skerry.federation.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.skerry.server.storage.Database;

/** The outbound queue's own files: the store's contract, and what a restart, a crash or a damaged file leaves. */
class QueueJournalTest extends QueueStoreContract {
    @TempDir
    Path dir;

    private QueueJournal journal;

    @Override
    protected QueueStore openNewStore() {
        journal = QueueJournal.open(dir.resolve("queue"));
        return journal;
    }

    @Override
    protected AutoCloseable opened() {
        return () -> journal.close();
    }

    private QueueJournal reopen() {
        journal.close();
        journal = QueueJournal.open(dir.resolve("queue"));
        return journal;
    }

    private static List<String> stanzaIds(List<QueuedStanza> rows) {
        return rows.stream().map(QueuedStanza::stanzaId).toList();
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("queue"))) {
            return files.filter(f -> f.toString().endsWith(".seg")).sorted().toList();
        }
    }

    private Path newestSegment() throws IOException {
        List<Path> all = segments();
        return all.get(all.size() - 1);
    }

    /** Changes one byte of the stanza that contains {@code text}, in place. */
    private static void damage(Path segment, String text) throws IOException {
        byte[] bytes = Files.readAllBytes(segment);
        int at = new String(bytes, StandardCharsets.ISO_8859_1).indexOf(text);
        assertThat(at).as(text + " in " + segment).isPositive();
        try (FileChannel file = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            file.write(java.nio.ByteBuffer.wrap(new byte[] {(byte) (bytes[at + 4] ^ 0x20)}), at + 4);
        }
    }

    @Test
    void whatWasQueuedAndNotRemovedIsThereAfterAReopenAndNewIdsComeAfterIt() {
        List<Long> a = journal.appendAll("a.example", stanzas("a1", "a2", "a3"));
        journal.appendAll("b.example", stanzas("b1"));
        journal.remove("a.example", List.of(a.get(0), a.get(2)));

        QueueJournal reopened = reopen();

        assertThat(stanzaIds(reopened.head("a.example", 10))).containsExactly("a2");
        assertThat(reopened.head("a.example", 10).get(0).queuedAt()).isEqualTo(NOW);
        assertThat(reopened.depths()).isEqualTo(Map.of("a.example", 1L, "b.example", 1L));
        List<Long> next = reopened.appendAll("a.example", stanzas("a4"));
        assertThat(next.get(0)).isGreaterThan(a.get(2));
        assertThat(stanzaIds(reopened.head("a.example", 10))).containsExactly("a2", "a4");
    }

    @Test
    void aRecordCutShortByACrashIsSkippedAndEverythingBeforeItKept() throws IOException {
        journal.appendAll("a.example", stanzas("a1", "a2", "a3"));
        journal.close();
        Path newest = segments().get(segments().size() - 1);
        try (FileChannel file = FileChannel.open(newest, StandardOpenOption.WRITE)) {
            file.truncate(file.size() - 5); // the last record lost its last bytes
        }

        journal = QueueJournal.open(dir.resolve("queue"));

        assertThat(stanzaIds(journal.head("a.example", 10))).containsExactly("a1", "a2");
        journal.appendAll("a.example", stanzas("a4"));
        assertThat(stanzaIds(reopen().head("a.example", 10))).containsExactly("a1", "a2", "a4");
    }

    @Test
    void aDamagedRecordIsSkippedAndTheRecordsAfterItStillCount() throws IOException {
        journal.close();
        journal = QueueJournal.open(dir.resolve("queue"), 256); // a1..a4 fill the first segment, a5 starts the next
        for (String id : List.of("a1", "a2", "a3", "a4", "a5")) {
            journal.appendAll("a.example", stanzas(id));
        }
        journal.close();
        Path first = segments().get(segments().size() - 2);
        byte[] bytes = Files.readAllBytes(first);
        int at = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("id='a2'");
        bytes[at + 4] ^= 0x20; // one flipped bit in the second record's stanza
        Files.write(first, bytes);

        journal = QueueJournal.open(dir.resolve("queue"), 256);

        assertThat(stanzaIds(journal.head("a.example", 10))).containsExactly("a1", "a3", "a4", "a5");
    }

    @Test
    void aQueuedStanzaWhoseRecordWasDamagedOnDiskComesBackEmptyInsteadOfBlockingItsPeer() throws IOException {
        journal.appendAll("a.example", stanzas("a1", "a2", "a3"));
        damage(newestSegment(), "id='a2'");

        List<QueuedStanza> rows = journal.head("a.example", 10);

        // The peer's queue logs a stanza that does not parse and removes it with its batch (PeerQueue.parse).
        assertThat(stanzaIds(rows)).containsExactly("a1", "", "a3");
        assertThat(rows.get(1).xml()).isEmpty();
        assertThat(stanzaIds(reopen().head("a.example", 10))).containsExactly("a1", "a3");
    }

    @Test
    void aDamagedRecordInTheOldestSegmentDoesNotStopItBeingCopiedForward() throws IOException {
        journal.close();
        journal = QueueJournal.open(dir.resolve("queue"), 256);
        journal.appendAll("down.example", stanzas("d1", "d2", "d3"));
        damage(newestSegment(), "id='d2'");
        for (int i = 0; i < 200; i++) {
            journal.remove("up.example", journal.appendAll("up.example", stanzas("u" + i)));
        }

        assertThat(journal.segmentCount()).as("segments of 256 bytes after ~20 KiB of records").isLessThanOrEqualTo(5);
        assertThat(stanzaIds(journal.head("down.example", 10))).containsExactly("d1", "d3");
    }

    @Test
    void idsNeverComeAgainEvenOnceEverySegmentThatHeldThemIsGone() throws IOException {
        List<Long> first = journal.appendAll("a.example", stanzas("a1", "a2"));
        reopen().remove("a.example", first);
        assertThat(segments()).hasSize(1);

        List<Long> next = reopen().appendAll("a.example", stanzas("a3"));

        assertThat(next.get(0)).isGreaterThan(first.get(1));
    }

    @Test
    void replayFindsTheRecordsAfterALongRunOfGarbageAndAfterADamagedSegmentHeader() throws IOException {
        journal.appendAll("a.example", stanzas("a1", "a2", "a3"));
        journal.close();
        Path segment = newestSegment();
        byte[] bytes = Files.readAllBytes(segment);
        int a2 = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("<message id='a2'") - 48; // its record
        byte[] garbage = new byte[300_000];
        new java.util.Random(7).nextBytes(garbage);
        java.io.ByteArrayOutputStream spliced = new java.io.ByteArrayOutputStream();
        spliced.write(bytes, 0, a2);
        spliced.write(garbage);
        spliced.write(bytes, a2, bytes.length - a2);
        byte[] damaged = spliced.toByteArray();
        damaged[0] = 'X'; // and the segment's magic
        Files.write(segment, damaged);

        journal = QueueJournal.open(dir.resolve("queue"));

        assertThat(stanzaIds(journal.head("a.example", 10))).containsExactly("a1", "a2", "a3");
    }

    @Test
    void aFileThatIsNoSegmentIsIgnored() throws IOException {
        journal.appendAll("a.example", stanzas("a1"));
        journal.close();
        Files.writeString(dir.resolve("queue").resolve("00000000000000000099.seg"), "not a segment");

        journal = QueueJournal.open(dir.resolve("queue"));

        assertThat(stanzaIds(journal.head("a.example", 10))).containsExactly("a1");
    }

    @Test
    void aStanzaLeftQueuedWhileOthersFlowDoesNotKeepEveryOldSegment() throws IOException {
        journal.close();
        journal = QueueJournal.open(dir.resolve("queue"), 4096);
        journal.appendAll("down.example", stanzas("stuck"));
        for (int i = 0; i < 500; i++) {
            List<Long> ids = journal.appendAll("up.example", stanzas("u" + i));
            journal.remove("up.example", ids);
        }

        assertThat(journal.segmentCount()).as("segments of 4 KiB after ~60 KiB of records").isLessThanOrEqualTo(3);
        assertThat(segments()).hasSize(journal.segmentCount());
        assertThat(stanzaIds(journal.head("down.example", 10))).containsExactly("stuck");
        journal.close();
        journal = QueueJournal.open(dir.resolve("queue"), 4096);
        assertThat(stanzaIds(journal.head("down.example", 10))).containsExactly("stuck");
        assertThat(journal.depths()).isEqualTo(Map.of("down.example", 1L));

        journal.remove("down.example", journal.head("down.example", 10).stream().map(QueuedStanza::id).toList());
        journal.close();
        journal = QueueJournal.open(dir.resolve("queue"), 4096);
        assertThat(journal.depths()).isEmpty();
    }

    @Test
    void aLongQueueOfAPeerThatIsDownTakesAboutTwiceItsSizeOnDiskWhateverFlowsMeanwhile() throws IOException {
        journal.close();
        journal = QueueJournal.open(dir.resolve("queue"), 4096);
        List<String> held = IntStream.range(0, 40).mapToObj(i -> "held" + i).toList();
        journal.appendAll("down.example", stanzas(held.toArray(String[]::new))); // ~2.7 KiB: not "mostly acknowledged"
        for (int i = 0; i < 2000; i++) {
            journal.remove("up.example", journal.appendAll("up.example", stanzas("u" + i)));
        }

        long onDisk = 0;
        for (Path segment : segments()) {
            onDisk += Files.size(segment);
        }
        assertThat(onDisk).as("bytes in segments after ~200 KiB of records").isLessThan(2 * 2800 + 3 * 4096);
        journal.close();
        journal = QueueJournal.open(dir.resolve("queue"), 4096);
        assertThat(stanzaIds(journal.head("down.example", 100))).containsExactlyElementsOf(held);
    }

    @Test
    void onceEverythingIsRemovedOnlyTheNewestSegmentStays() throws IOException {
        List<Long> ids = journal.appendAll("a.example", stanzas("a1"));
        QueueJournal second = reopen();
        second.remove("a.example", ids);

        assertThat(segments()).hasSize(1);
        assertThat(reopen().depths()).isEmpty();
    }

    @Test
    void aSecondOpenOfTheSameDirectoryIsRefusedAndAClosedJournalRefusesWork() {
        assertThatThrownBy(() -> QueueJournal.open(dir.resolve("queue")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("in use by another node");

        journal.close();
        assertThatThrownBy(() -> journal.appendAll("a.example", stanzas("a1")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void writesAreForcedToDiskEverySecond() {
        journal.appendAll("a.example", stanzas("a1"));
        await().atMost(Duration.ofSeconds(10)).until(() -> journal.syncsCompleted() >= 2);
    }

    @Test
    void aSyncPassAfterANewSegmentForcesTheDirectoryThatNamesIt() throws IOException {
        journal.close();
        journal = QueueJournal.open(dir.resolve("queue"), 4096);
        await().atMost(Duration.ofSeconds(10)).until(() -> journal.syncsCompleted() >= 1);
        long forcesBefore = journal.directoryForces();
        long passesBefore = journal.syncsCompleted();
        await().atMost(Duration.ofSeconds(10)).until(() -> journal.syncsCompleted() >= passesBefore + 2);
        assertThat(journal.directoryForces()).as("no file created or deleted: the directory is left alone")
                .isEqualTo(forcesBefore);

        int segmentsBefore = journal.segmentCount();
        for (int i = 0; journal.segmentCount() == segmentsBefore; i++) {
            journal.appendAll("down.example", stanzas("filler" + i));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> journal.directoryForces() > forcesBefore);
    }

    @Test
    void stanzasCopiedIntoANewSegmentHaveItsNameOnDiskBeforeTheirOldSegmentIsDeleted() throws IOException {
        journal.close();
        // No periodic pass during the test: whatever forces the directory here is the compaction itself.
        journal = QueueJournal.open(dir.resolve("queue"), 4096, Duration.ofHours(1));
        long forcesAtOpen = journal.directoryForces();
        journal.appendAll("down.example", stanzas("stuck"));
        Path first = segments().get(0);
        for (int i = 0; Files.exists(first); i++) {
            assertThat(i).as("the first segment is compacted away").isLessThan(500);
            List<Long> ids = journal.appendAll("up.example", stanzas("u" + i));
            journal.remove("up.example", ids);
        }

        assertThat(journal.syncsCompleted()).isZero();
        assertThat(journal.directoryForces()).isGreaterThan(forcesAtOpen);
        assertThat(stanzaIds(reopen().head("down.example", 10))).containsExactly("stuck");
    }

    @Test
    void aDirectoryThatCannotBeForcedIsReportedAsFalseInsteadOfThrowing() {
        assertThat(DiskSync.forceDirectory(dir)).isTrue();
        // As a file system that refuses fsync on a directory would: the caller goes on, the data itself is forced.
        assertThat(DiskSync.forceDirectory(dir.resolve("missing"))).isFalse();
    }

    @Test
    void theSizeOnDiskIsTheSegmentsAndIsAnsweredWhileTheJournalIsBusy() throws Exception {
        journal.appendAll("down.example", stanzas("a1", "a2", "a3"));
        journal.remove("down.example", journal.head("down.example", 1).stream().map(QueuedStanza::id).toList());
        long onDisk = 0;
        for (Path segment : segments()) {
            onDisk += Files.size(segment);
        }
        assertThat(journal.diskBytes()).hasValue(onDisk);

        synchronized (journal) { // as a compaction copying a segment forward holds it
            assertThat(CompletableFuture.supplyAsync(journal::diskBytes).get(5, TimeUnit.SECONDS))
                    .hasValue(onDisk);
        }
    }

    @Test
    void aKilledProcessLeavesWhatItAppendedAndRemoved() throws Exception {
        Path queueDir = dir.resolve("killed");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                AppendRemoveThenHalt.class.getName(), queueDir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child finished").isTrue();
        assertThat(Files.readString(dir.resolve("child.log"))).contains(AppendRemoveThenHalt.DONE);

        try (QueueJournal after = QueueJournal.open(queueDir)) {
            assertThat(stanzaIds(after.head("a.example", 200)))
                    .containsExactlyElementsOf(IntStream.range(50, 100).mapToObj(i -> "a" + i).toList());
            assertThat(stanzaIds(after.head("b.example", 200))).containsExactly("b0");
        }
    }

    /** The child: appends and removes, then dies without closing anything (Runtime.halt, like kill -9). */
    public static final class AppendRemoveThenHalt {
        static final String DONE = "APPENDED-AND-REMOVED";

        public static void main(String[] args) {
            QueueJournal journal = QueueJournal.open(Path.of(args[0]));
            List<Long> ids = journal.appendAll("a.example",
                    stanzas(IntStream.range(0, 100).mapToObj(i -> "a" + i).toArray(String[]::new)));
            journal.remove("a.example", ids.subList(0, 50));
            journal.appendAll("b.example", stanzas("b0"));
            System.out.println(DONE);
            System.out.flush();
            Runtime.getRuntime().halt(0);
        }
    }

    @Test
    void stanzasThatAnEarlierReleaseLeftInTheTableMoveIntoTheJournalInOrder() {
        try (Database database = Database.open("jdbc:h2:file:" + dir.resolve("db/skerry"), "sa", "", 2)) {
            QueueRepository table = new QueueRepository(database);
            table.appendAll("a.example", stanzas("a1", "a2"));
            table.appendAll("b.example", stanzas("b1"));
            table.appendAll("a.example", stanzas("a3"));

            QueueStore store = QueueStores.open(database);
            try {
                assertThat(store).isInstanceOf(QueueJournal.class);
                assertThat(stanzaIds(store.head("a.example", 10))).containsExactly("a1", "a2", "a3");
                assertThat(stanzaIds(store.head("b.example", 10))).containsExactly("b1");
                assertThat(table.depths()).isEmpty();
                assertThat(QueueStores.journalDirectory(dir.resolve("db/skerry"))).isDirectory();
            } finally {
                ((QueueJournal) store).close();
            }
        }
    }

    @Test
    void aDatabaseWithoutAFileKeepsTheQueueInItsTable() {
        try (Database database = Database.open("jdbc:h2:mem:queue-store-choice", "sa", "", 2)) {
            assertThat(QueueStores.open(database)).isInstanceOf(QueueRepository.class);
        }
    }
}
