package org.skerry.federation.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Namespaces;
import org.skerry.server.xmpp.StreamError;
import org.skerry.server.xmpp.StreamError.Condition;

/** The receiving side of XEP-0198 on an s2s stream: 'h' counts stanzas once routed, and <r/> waits for them. */
class InboundAcksTest {
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final InboundAcks acks = new InboundAcks(channel);

    @Test
    void enableBeforeAnyDomainAuthenticatedFailsWithUnexpectedRequest() {
        acks.element(sm("enable"), false);

        assertFailed("unexpected-request");
        assertThat(acks.isEnabled()).isFalse();
        assertThatThrownBy(() -> acks.element(sm("r"), false)).isInstanceOfSatisfying(StreamError.class,
                error -> assertThat(error.condition()).isEqualTo(Condition.UNSUPPORTED_STANZA_TYPE));
    }

    @Test
    void enableAfterAuthenticationIsAnsweredWithEnabledAndOnlyOnce() {
        acks.element(sm("enable").attr("resume", "true"), true);
        Element enabled = channel.readOutbound();
        assertThat(enabled.is("enabled", Namespaces.SM)).isTrue();
        assertThat(enabled.attr("resume")).as("no resumption on s2s").isNull();
        assertThat(acks.isEnabled()).isTrue();

        acks.element(sm("enable"), true);
        assertFailed("unexpected-request");
    }

    @Test
    void aRequestIsAnsweredOnceEveryStanzaBeforeItIsRouted() {
        CompletableFuture<Void> beforeEnable = new CompletableFuture<>();
        acks.counting(beforeEnable);
        acks.element(sm("enable"), true);
        channel.readOutbound();

        CompletableFuture<Void> stored = new CompletableFuture<>();
        CompletableFuture<Void> delivered = new CompletableFuture<>();
        acks.counting(stored);
        acks.counting(delivered);
        acks.element(sm("r"), true);
        acks.element(sm("r"), true);
        CompletableFuture<Void> afterRequest = new CompletableFuture<>();
        acks.counting(afterRequest);

        delivered.complete(null);
        channel.runPendingTasks();
        assertThat((Object) channel.readOutbound()).as("the first stanza is not routed yet").isNull();

        stored.completeExceptionally(new IllegalStateException("bounced")); // routed with an error reply: handled
        channel.runPendingTasks();
        assertThat(answerH()).isEqualTo("2");
        assertThat(answerH()).as("each <r/> gets its <a/>").isEqualTo("2");
        assertThat((Object) channel.readOutbound()).isNull();

        acks.element(sm("r"), true);
        assertThat((Object) channel.readOutbound()).as("waits for the stanza received before it").isNull();
        afterRequest.complete(null);
        channel.runPendingTasks();
        assertThat(answerH()).as("stanzas before <enable/> do not count").isEqualTo("3");
    }

    @Test
    void anAcknowledgementOfStanzasWeNeverSentEndsTheStream() {
        acks.element(sm("enable"), true);
        acks.element(new Element("a", Namespaces.SM).attr("h", "0"), true);

        assertThatThrownBy(() -> acks.element(new Element("a", Namespaces.SM).attr("h", "1"), true))
                .isInstanceOfSatisfying(StreamError.class, error -> {
                    assertThat(error.condition()).isEqualTo(Condition.UNDEFINED_CONDITION);
                    assertThat(error.applicationCondition().name()).isEqualTo("handled-count-too-high");
                });
    }

    private void assertFailed(String condition) {
        Element failed = channel.readOutbound();
        assertThat(failed.is("failed", Namespaces.SM)).isTrue();
        assertThat(failed.child(condition, Namespaces.STANZAS_ERROR)).isNotNull();
    }

    private String answerH() {
        Element answer = channel.readOutbound();
        assertThat(answer).isNotNull();
        assertThat(answer.is("a", Namespaces.SM)).isTrue();
        return answer.attr("h");
    }

    private static Element sm(String name) { return new Element(name, Namespaces.SM); }
}
