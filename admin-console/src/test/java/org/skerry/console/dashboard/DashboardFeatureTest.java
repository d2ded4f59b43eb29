package org.skerry.console.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DashboardFeatureTest {
    @Test
    void sizesReadAsPeopleWriteThem() {
        assertThat(DashboardFeature.bytes(0)).isEqualTo("0 B");
        assertThat(DashboardFeature.bytes(1023)).isEqualTo("1023 B");
        assertThat(DashboardFeature.bytes(1536)).isEqualTo("1.5 KiB");
        assertThat(DashboardFeature.bytes(7L * 1024 * 1024 + 300_000)).isEqualTo("7.3 MiB");
        assertThat(DashboardFeature.bytes(5L << 40 << 10)).isEqualTo("5120.0 TiB");
    }

    @Test
    void ratesReadAsThePagesScriptWritesThem() {
        assertThat(DashboardFeature.rate(0.0)).isEqualTo("0");
        assertThat(DashboardFeature.rate(3.0)).isEqualTo("3");
        assertThat(DashboardFeature.rate(12.5)).isEqualTo("12.5");
    }
}
