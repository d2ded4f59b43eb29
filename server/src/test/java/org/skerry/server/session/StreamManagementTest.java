package org.skerry.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Namespaces;

/** XEP-0198 counters: acknowledgements of what we sent, and the h we report for what the client sent. */
class StreamManagementTest {
    private static final long WRAP = 1L << 32;

    @Test
    void anAcknowledgementForgetsExactlyTheStanzasItCovers() {
        StreamManagement sm = new StreamManagement();
        sm.sent(message("1"));
        sm.sent(message("2"));
        sm.sent(message("3"));

        assertThat(sm.acknowledge(2)).isTrue();
        assertThat(sm.unacked()).extracting(e -> e.attr("id")).containsExactly("3");
        assertThat(sm.acknowledge(2)).as("the same h again").isTrue();
        assertThat(sm.unackedCount()).isEqualTo(1);
        assertThat(sm.acknowledge(3)).isTrue();
        assertThat(sm.unackedCount()).isZero();
    }

    @Test
    void acknowledgingMoreThanWasSentIsRefusedAndChangesNothing() {
        StreamManagement sm = new StreamManagement();
        sm.sent(message("1"));
        sm.sent(message("2"));

        assertThat(sm.acknowledge(3)).isFalse();
        assertThat(sm.unackedCount()).isEqualTo(2);
        assertThat(sm.acknowledge(2)).isTrue();
        assertThat(sm.unackedCount()).isZero();
    }

    @Test
    void outboundHWrapsAtTwoToThe32() {
        StreamManagement sm = new StreamManagement(WRAP - 2);
        for (int i = 0; i < 5; i++) {
            sm.sent(message("m" + i)); // stanzas number 2^32-2 .. 2^32+2
        }

        assertThat(sm.acknowledge(WRAP - 1)).as("before the wrap").isTrue();
        assertThat(sm.unacked()).extracting(e -> e.attr("id")).containsExactly("m1", "m2", "m3", "m4");
        assertThat(sm.acknowledge(1)).as("h=1 on the wire is 2^32+1 stanzas").isTrue();
        assertThat(sm.unacked()).extracting(e -> e.attr("id")).containsExactly("m3", "m4");
        assertThat(sm.acknowledge(4)).as("2^32+4 were never sent").isFalse();
        assertThat(sm.acknowledge(3)).isTrue();
        assertThat(sm.unackedCount()).isZero();
    }

    @Test
    void anHJustPastTheWrapThatWasNeverSentIsRefused() {
        StreamManagement sm = new StreamManagement(WRAP - 2);
        sm.sent(message("last before the wrap"));

        assertThat(sm.acknowledge(0)).as("h=0 now means 2^32 stanzas, one more than sent").isFalse();
        assertThat(sm.unackedCount()).isEqualTo(1);
    }

    @Test
    void inboundHCountsFinishedStanzasAndWrapsAtTwoToThe32() {
        StreamManagement sm = new StreamManagement(WRAP - 2);
        long first = sm.received();
        long second = sm.received();
        long third = sm.received();
        assertThat(sm.inboundH()).isEqualTo(WRAP - 2);

        sm.finished(first);
        sm.finished(second);
        assertThat(sm.inboundH()).isZero();
        sm.finished(third);
        assertThat(sm.inboundH()).isEqualTo(1);
    }

    @Test
    void outOfOrderCompletionOnlyAdvancesTheContiguousPrefix() {
        StreamManagement sm = new StreamManagement();
        long stored = sm.received();    // an offline message: its store finishes last
        long direct = sm.received();
        long another = sm.received();
        long pending = sm.received();

        sm.finished(direct);
        sm.finished(another);
        assertThat(sm.inboundH()).as("the first stanza is not stored yet").isZero();

        sm.finished(stored);
        assertThat(sm.inboundH()).isEqualTo(3);

        sm.finished(another);
        assertThat(sm.inboundH()).as("finishing a stanza twice counts it once").isEqualTo(3);
        sm.finished(pending);
        assertThat(sm.inboundH()).isEqualTo(4);
    }

    @Test
    void drainingHandsBackTheUnacknowledgedOldestFirst() {
        StreamManagement sm = new StreamManagement();
        sm.sent(message("a"));
        sm.sent(message("b"));
        sm.sent(message("c"));
        sm.acknowledge(1);

        assertThat(sm.drainUnacked()).extracting(e -> e.attr("id")).containsExactly("b", "c");
        assertThat(sm.unackedCount()).isZero();
    }

    private static Element message(String id) {
        return new Element("message", Namespaces.CLIENT).attr("id", id);
    }
}
