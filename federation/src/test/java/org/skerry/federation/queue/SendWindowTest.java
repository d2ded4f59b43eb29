package org.skerry.federation.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Namespaces;

class SendWindowTest {
    private static List<Element> stanzas(int count) {
        return java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> new Element("message", Namespaces.CLIENT)).toList();
    }

    private static List<Long> ids(long... ids) {
        return Arrays.stream(ids).boxed().toList();
    }

    @Test
    void sentAndAcknowledgedStanzasShareOneBatchOfRoomUntilRemoved() {
        SendWindow window = new SendWindow(5);
        SendWindow.Batch first = window.send(ids(1, 2), stanzas(2));
        window.send(ids(3), stanzas(1));
        assertThat(window.unacknowledgedCount()).isEqualTo(3);
        assertThat(window.room()).isEqualTo(2);
        assertThat(window.sentThrough()).isEqualTo(3);

        assertThat(window.acknowledged(first)).isTrue();
        assertThat(window.unacknowledgedCount()).isEqualTo(1);
        assertThat(window.room()).as("acknowledged, not yet removed: still counted").isEqualTo(2);

        List<Long> removing = window.takeAcknowledged();
        assertThat(removing).containsExactly(1L, 2L);
        assertThat(window.room()).as("still stored while their removal runs").isEqualTo(2);
        assertThat(window.isRemoving()).isTrue();
        window.removed(removing);
        assertThat(window.isRemoving()).isFalse();
        assertThat(window.room()).isEqualTo(4);
        window.send(ids(4, 5, 6, 7), stanzas(4));
        assertThat(window.isFull()).isTrue();
        assertThat(window.room()).isZero();
    }

    @Test
    void aRowThatDidNotParseIsRemovedWithItsBatchButNotSent() {
        SendWindow window = new SendWindow(5);
        List<Element> withGap = new java.util.ArrayList<>(stanzas(2));
        withGap.add(1, null);
        SendWindow.Batch batch = window.send(ids(1, 2, 3), withGap);
        assertThat(batch.stanzas()).hasSize(2);
        assertThat(batch.ids()).containsExactly(1L, 2L, 3L);
        assertThat(window.unacknowledgedCount()).isEqualTo(3);
    }

    @Test
    void aLateAcknowledgementOfAFailedSessionChangesNothing() {
        SendWindow window = new SendWindow(5);
        SendWindow.Batch old = window.send(ids(1, 2), stanzas(2));
        window.restart();
        assertThat(window.sentThrough()).as("the new session starts from the oldest").isZero();
        assertThat(window.hasUnacknowledged()).isFalse();
        SendWindow.Batch again = window.send(ids(1, 2), stanzas(2));

        assertThat(window.isCurrent(old)).isFalse();
        assertThat(window.acknowledged(old)).isFalse();
        assertThat(window.takeAcknowledged()).as("not counted, nor removed, twice").isEmpty();
        assertThat(window.acknowledged(again)).isTrue();
        List<Long> removing = window.takeAcknowledged();
        assertThat(removing).containsExactly(1L, 2L);
        assertThat(window.isEmpty()).as("not empty before they are gone from storage").isFalse();
        window.removed(removing);
        assertThat(window.isEmpty()).isTrue();
    }

    @Test
    void aFailedRemovalKeepsItsIdsForTheNext() {
        SendWindow window = new SendWindow(5);
        window.acknowledged(window.send(ids(1, 2), stanzas(2)));
        List<Long> removing = window.takeAcknowledged();
        window.putBackAcknowledged(removing);
        assertThat(window.acknowledgedCount()).isEqualTo(2);
        assertThat(window.isRemoving()).isFalse();
        assertThat(window.room()).isEqualTo(3);
        assertThat(window.isEmpty()).isFalse();
        assertThat(window.oldestUnacknowledged()).isNull();
    }
}
