package org.skerry.console.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.jr.ob.JSON;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonValuesTest {
    enum State { READY }

    record Certificate(String issuer, boolean isSelfSigned, Instant expires, Duration age, State state,
                       Optional<String> note, List<Map<String, Integer>> extra) {}

    @Test
    void recordsKeepTheirComponentNamesAndTimesBecomeIsoStrings() throws Exception {
        // An empty optional becomes null, which the writer leaves out.
        Certificate c = new Certificate("CN=ca", true, Instant.parse("2027-01-02T03:04:05Z"), Duration.ofMinutes(90),
                State.READY, Optional.empty(), List.of(Map.of("n", 1)));
        assertThat(JSON.std.asString(JsonValues.plain(c))).isEqualTo("{\"issuer\":\"CN=ca\",\"isSelfSigned\":true,"
                + "\"expires\":\"2027-01-02T03:04:05Z\",\"age\":\"PT1H30M\",\"state\":\"READY\","
                + "\"extra\":[{\"n\":1}]}");
    }
}
