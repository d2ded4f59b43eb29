package org.skerry.console.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WebIoTest {
    @Test
    void decodesFormFieldsFirstValueWinning() throws WebError {
        assertThat(WebIo.formFields("a=1&b=x%20y&a=2&c=&d")).containsEntry("a", "1").containsEntry("b", "x y")
                .containsEntry("c", "").containsEntry("d", "");
        assertThat(WebIo.formFields("")).isEmpty();
        assertThat(WebIo.formFields(null)).isEmpty();
    }

    @Test
    void refusesMalformedEncodingAndTooManyFields() {
        assertThatThrownBy(() -> WebIo.formFields("a=%zz")).isInstanceOf(WebError.class);
        assertThatThrownBy(() -> WebIo.formFields("f=1&".repeat(1).concat(
                java.util.stream.IntStream.range(0, 100).mapToObj(i -> "k" + i + "=v").reduce((x, y) -> x + "&" + y).orElseThrow())))
                .isInstanceOf(WebError.class).hasMessageContaining("Too many");
    }

    @Test
    void basicCredentialsDecodeOrAreRefused() {
        assertThat(BasicCredentials.decode("YWRtaW5AeDpwYTpzcw==")).containsExactly("admin@x", "pa:ss");
        assertThat(BasicCredentials.decode("!!!")).isNull();
        assertThat(BasicCredentials.decode("bm9jb2xvbg==")).isNull(); // "nocolon"
    }
}
