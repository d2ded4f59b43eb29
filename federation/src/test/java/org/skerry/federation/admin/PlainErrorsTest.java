package org.skerry.federation.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PlainErrorsTest {
    @Test
    void javaClassNamesAndQueueBookkeepingGo() {
        assertThat(PlainErrors.of("not acknowledged: cannot connect to b.test: Connection refused: /127.0.0.1:5269"))
                .isEqualTo("cannot connect to b.test: Connection refused: /127.0.0.1:5269");
        assertThat(PlainErrors.of("link to b.test failed: io.netty.channel.AbstractChannel$AnnotatedConnectException:"
                + " Connection refused")).isEqualTo("link to b.test failed: Connection refused");
        assertThat(PlainErrors.of("not acknowledged: TimeoutException")).isEqualTo("the peer did not acknowledge in time");
        assertThat(PlainErrors.of("b.test sent the stream error policy-violation (This server does not federate with"
                + " a.test)")).as("already plain").isEqualTo("b.test sent the stream error policy-violation (This"
                + " server does not federate with a.test)");
        assertThat(PlainErrors.of(null)).isNull();
    }
}
