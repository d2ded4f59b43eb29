package org.skerry.bench.xmpp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChatBodyTest {
    @Test
    void readsBackWhatItWrites() {
        ChatBody body = new ChatBody(3, true, 42, 123456789012L);
        assertThat(ChatBody.parse(body.text())).isEqualTo(body);
        assertThat(ChatBody.parse(new ChatBody(-1, false, 0, 5).text())).isEqualTo(new ChatBody(-1, false, 0, 5));
    }

    @Test
    void ignoresOtherBodies() {
        assertThat(ChatBody.parse("hello")).isNull();
        assertThat(ChatBody.parse("1:m:x:2")).isNull();
        assertThat(ChatBody.parse("1:mm:1:2")).isNull();
    }
}
