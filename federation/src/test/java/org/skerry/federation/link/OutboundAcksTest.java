package org.skerry.federation.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Namespaces;
import org.skerry.server.xmpp.StanzaError;
import org.skerry.server.xmpp.StreamError;
import org.skerry.server.xmpp.StreamError.Condition;

/** The sending side of XEP-0198 on an s2s link: a batch is delivered only when the peer's 'h' covers it. */
class OutboundAcksTest {
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final OutboundAcks acks = new OutboundAcks();

    @Test
    void aBatchCompletesOnlyWhenAnAckCoversItsLastStanza() {
        CompletableFuture<Void> first = new CompletableFuture<>();
        CompletableFuture<Void> second = new CompletableFuture<>();
        acks.sent(3, first);
        acks.sent(2, second);

        acks.element(ack(2), channel);
        assertThat(first).as("h=2 covers two of its three stanzas").isNotDone();
        acks.element(ack(3), channel);
        assertThat(first).isCompleted();
        assertThat(second).isNotDone();
        acks.element(ack(3), channel);
        assertThat(second).as("the same h again").isNotDone();
        acks.element(ack(5), channel);
        assertThat(second).isCompleted();
    }

    @Test
    void anAckForMoreThanWasSentIsAStreamErrorWithHandledCountTooHigh() {
        CompletableFuture<Void> batch = new CompletableFuture<>();
        acks.sent(2, batch);

        assertThatThrownBy(() -> acks.element(ack(3), channel)).isInstanceOfSatisfying(StreamError.class, error -> {
            assertThat(error.condition()).isEqualTo(Condition.UNDEFINED_CONDITION);
            Element tooHigh = error.applicationCondition();
            assertThat(tooHigh.is("handled-count-too-high", Namespaces.SM)).isTrue();
            assertThat(tooHigh.attr("h")).isEqualTo("3");
            assertThat(tooHigh.attr("send-count")).isEqualTo("2");
        });
        assertThat(batch).as("nothing is taken as acknowledged").isNotDone();
    }

    @Test
    void aMalformedHEndsTheStream() {
        acks.sent(1, new CompletableFuture<>());
        for (String h : new String[] {"one", "-1", "4294967296"}) {
            Element answer = new Element("a", Namespaces.SM).attr("h", h);
            assertThatThrownBy(() -> acks.element(answer, channel)).isInstanceOfSatisfying(StreamError.class,
                    error -> assertThat(error.condition()).isEqualTo(Condition.INVALID_XML));
        }
    }

    @Test
    void whatIsStillWaitingWhenTheLinkEndsFails() {
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        CompletableFuture<Void> waiting = new CompletableFuture<>();
        acks.sent(1, acknowledged);
        acks.sent(1, waiting);
        acks.element(ack(1), channel);

        LinkFailure cause = new LinkFailure(StanzaError.REMOTE_SERVER_TIMEOUT, "closed");
        acks.failAll(cause);
        assertThat(acknowledged).isCompleted();
        assertThat(waiting).isCompletedExceptionally();
    }

    @Test
    void aRequestFromThePeerIsAnsweredWithNothingHandled() {
        acks.element(new Element("r", Namespaces.SM), channel);
        Element answer = channel.readOutbound();
        assertThat(answer.is("a", Namespaces.SM)).isTrue();
        assertThat(answer.attr("h")).isEqualTo("0");
    }

    private static Element ack(long h) {
        return new Element("a", Namespaces.SM).attr("h", Long.toString(h));
    }
}
