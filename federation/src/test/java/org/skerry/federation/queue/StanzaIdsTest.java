package org.skerry.federation.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.skerry.server.xml.Element;
import org.skerry.server.xml.ElementParser;

class StanzaIdsTest {
    private final SequencedIds ids = SequencedIds.newRun(new java.util.Random(7));

    private static Element parse(String xml) {
        return ElementParser.parse(xml);
    }

    @Test
    void stampsAnIdAssignedByTheSendersDomainAndReplacesAForgedOne() {
        Element message = parse("<message from='alice@a.example/r' to='bob@b.example'><body>hi</body>"
                + "<stanza-id xmlns='urn:xmpp:sid:0' id='chosen-by-client' by='a.example'/>"
                + "<stanza-id xmlns='urn:xmpp:sid:0' id='archive-1' by='alice@a.example'/>"
                + "<origin-id xmlns='urn:xmpp:sid:0' id='client-1'/></message>");

        String id = StanzaIds.stamp(message, ids.next());

        assertThat(id).isNotEqualTo("chosen-by-client");
        assertThat(StanzaIds.assignedBy(message, "a.example")).isEqualTo(id);
        assertThat(message.elements()).filteredOn(e -> e.is("stanza-id", StanzaIds.NAMESPACE)
                && "a.example".equals(e.attr("by"))).hasSize(1);
        assertThat(StanzaIds.assignedBy(message, "alice@a.example")).as("someone else's id stays").isEqualTo("archive-1");
        assertThat(message.child("origin-id", StanzaIds.NAMESPACE).attr("id")).isEqualTo("client-1");
    }

    @Test
    void idsAreUniqueAndOnlyTheAssigningDomainIsTrusted() {
        Element first = parse("<message from='alice@a.example/r' to='bob@b.example'/>");
        Element second = parse("<message from='alice@a.example/r' to='bob@b.example'/>");

        assertThat(StanzaIds.stamp(first, ids.next())).isNotEqualTo(StanzaIds.stamp(second, ids.next()));
        assertThat(StanzaIds.assignedBy(first, "evil.example")).isNull();
    }

    @Test
    void unstampRemovesOnlyOurId() {
        Element message = parse("<message from='alice@a.example/r' to='bob@b.example'>"
                + "<stanza-id xmlns='urn:xmpp:sid:0' id='archive-1' by='alice@a.example'/></message>");
        String id = StanzaIds.stamp(message, ids.next());

        StanzaIds.unstamp(message, id);

        assertThat(StanzaIds.assignedBy(message, "a.example")).isNull();
        assertThat(StanzaIds.assignedBy(message, "alice@a.example")).isEqualTo("archive-1");
    }

    @Test
    void aStanzaWithoutSenderCannotBeStamped() {
        assertThatThrownBy(() -> StanzaIds.stamp(parse("<message to='bob@b.example'/>"), ids.next()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
