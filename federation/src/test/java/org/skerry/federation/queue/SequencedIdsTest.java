package org.skerry.federation.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SequencedIdsTest {
    @Test
    void idsOfOneRunCountUpAndCannotBeGuessed() {
        SequencedIds ids = SequencedIds.newRun(new SecureRandom());
        String first = ids.next();
        String second = ids.next();

        SequencedIds.Parsed one = SequencedIds.parse(first);
        SequencedIds.Parsed two = SequencedIds.parse(second);
        assertThat(one.run()).isEqualTo(two.run());
        assertThat(one.sequence()).isEqualTo(1);
        assertThat(two.sequence()).isEqualTo(2);
        assertThat(second).as("a random part per id").isNotEqualTo(first.replace(".1.", ".2."));
        assertThat(second.substring(second.lastIndexOf('.') + 1)).isNotEqualTo(first.substring(first.lastIndexOf('.') + 1));
    }

    @Test
    void eachRunHasItsOwnName() {
        Set<String> runs = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            runs.add(SequencedIds.parse(SequencedIds.newRun(new SecureRandom()).next()).run());
        }
        assertThat(runs).hasSize(100);
    }

    @Test
    void anythingElseIsNotASequencedId() {
        assertThat(SequencedIds.parse(null)).isNull();
        assertThat(SequencedIds.parse("5f3dbc5e-e1d3-4077-a492-693f3769c7ad")).as("a UUID").isNull();
        assertThat(SequencedIds.parse("m-1")).isNull();
        assertThat(SequencedIds.parse("abc.1")).as("no nonce").isNull();
        assertThat(SequencedIds.parse("abc.1.x.y")).isNull();
        assertThat(SequencedIds.parse(".1.x")).isNull();
        assertThat(SequencedIds.parse("abc.0.x")).as("sequences start at 1").isNull();
        assertThat(SequencedIds.parse("abc.-1.x")).isNull();
        assertThat(SequencedIds.parse("abc.99999999999999999999.x")).as("not a long").isNull();
        assertThat(SequencedIds.parse("ABC.1.x")).as("lower-case base 36 only").isNull();
        assertThat(SequencedIds.parse("abcdefghijklmnopq.1.x")).as("run of 17 characters").isNull();
        assertThat(SequencedIds.parse("abc.1." + "x".repeat(17))).isNull();
        assertThat(SequencedIds.parse("abc.12.x9")).isEqualTo(new SequencedIds.Parsed("abc", 12));
    }
}
