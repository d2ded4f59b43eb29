package org.skerry.bench.measure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ProcReadingTest {
    @Test
    void cpuTicksAreCountedAfterACommandNameWithSpacesAndParentheses() {
        String stat = "4242 (beam.smp (1) x) S 1 4242 4242 0 -1 4194560 1000 0 0 0 1234 567 0 0 20 0 30 0 100 1000 200";
        assertThat(ProcessProbe.parseStat(stat)).containsExactly(1234, 567);
    }

    @Test
    void theToolCanReadItself() {
        ProcessProbe self = ProcessProbe.self();
        assertThat(self.rssKib()).isGreaterThan(1000);
        assertThat(self.hwmKib()).isGreaterThanOrEqualTo(self.rssKib() - 1000);
        assertThat(self.cpuSeconds()).isGreaterThan(0);
        assertThat(ProcessProbe.of("gone", Long.MAX_VALUE).rssKib()).isNaN();
    }

    @Test
    void heapInfoOfEachCollectorSumsTheHeapNotMetaspace() {
        assertThat(JvmHeap.parseUsedKib("""
                12379:
                 garbage-first heap   total 57344K, used 5956K [0x0000000687400000, 0x0000000800000000)
                  region size 4096K, 0 young (0K), 0 survivors (0K)
                 Metaspace       used 8924K, committed 9088K, reserved 1114112K
                  class space    used 1062K, committed 1152K, reserved 1048576K
                """)).isEqualTo(5956);
        assertThat(JvmHeap.parseUsedKib("""
                 def new generation   total 116224K, used 100K [0x0000000687400000, 0x000000068f210000)
                  eden space 103360K,   0% used [0x0000000687400000, 0x0000000687400000)
                 tenured generation   total 258048K, used 2244K [0x0000000704d50000, 0x0000000714950000)
                 Metaspace       used 8952K, committed 9152K, reserved 1114112K
                """)).isEqualTo(2344);
        assertThat(JvmHeap.parseUsedKib("""
                 ZHeap           used 36M, capacity 378M, max capacity 6028M
                 Metaspace       used 8940K, committed 9088K, reserved 1114112K
                """)).isEqualTo(36 * 1024);
    }

    @Test
    void openFilesLimitIsTheSoftOne() {
        String limits = """
                Limit                     Soft Limit           Hard Limit           Units
                Max processes             95000                95000                processes
                Max open files            20000                40000                files
                """;
        assertThat(OpenFilesLimit.parse(limits)).isEqualTo(OptionalLong.of(20000));
        assertThat(OpenFilesLimit.parse("Max open files            unlimited            unlimited            files"))
                .isEqualTo(OptionalLong.of(Long.MAX_VALUE));
    }
}
