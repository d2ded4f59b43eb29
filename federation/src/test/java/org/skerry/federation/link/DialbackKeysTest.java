package org.skerry.federation.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DialbackKeysTest {
    private final DialbackKeys keys = new DialbackKeys("s3cr3tf0rd14lb4ck".getBytes(StandardCharsets.UTF_8));

    /**
     * The inputs of XEP-0185's example; the expected key was computed with the XEP's own reference script (Python's
     * hashlib and hmac), independently of this implementation.
     */
    @Test
    void agreesWithTheReferenceScriptOfXep0185() {
        assertThat(keys.generate("domain2.tld", "domain1.tld", "D60000229F"))
                .isEqualTo("5e598fae34b90be084fb6a4a8a543ceb33549140bac9d829ef8d734d900616e4");
    }

    @Test
    void aKeyIsBoundToItsDomainsAndStream() {
        String key = keys.generate("b.test", "a.test", "stream-1");
        assertThat(keys.matches("b.test", "a.test", "stream-1", key)).isTrue();
        assertThat(keys.matches("b.test", "a.test", "stream-2", key)).isFalse();
        assertThat(keys.matches("c.test", "a.test", "stream-1", key)).isFalse();
        assertThat(keys.matches("b.test", "a.test", "stream-1", null)).isFalse();
    }
}
