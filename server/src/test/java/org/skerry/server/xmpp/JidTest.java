package org.skerry.server.xmpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Addresses take a shortcut when already canonical; it must give exactly what full normalisation gives. */
class JidTest {
    private static final List<String> SAMPLES = List.of(
            "juliet@capulet.lit", "juliet@capulet.lit/balcony", "capulet.lit", "capulet.lit/Orchard.1",
            "bench17@a.bench.test/Conversations.Ab-9_x", "a_b-c.d@x-y.example", "127.0.0.1", "x@127.0.0.1/r",
            // not canonical: the full path decides
            "Juliet@capulet.lit", "juliet@Capulet.LIT", "juliet@capulet.lit/balcony window", "jülia@capulet.lit",
            "juliet@capulet.lit.", "juliet@.capulet.lit", "juliet@capulet..lit", "juliet@[::1]", "juliet@[::1]/r",
            "juliet@capulet.lit/r@s", "juliet@capulet.lit/a/b", "juliet+tag@capulet.lit", "juliet@capulet.lit/Ünï");

    private static final List<String> MALFORMED = List.of(
            "@capulet.lit", "juliet@capulet.lit/", "juliet@", "a@b@c", "juliet@cap ulet.lit", "/resource", "@", "");

    @Test
    void theShortcutGivesWhatFullNormalisationGives() {
        for (String text : SAMPLES) {
            assertThat(Jid.parse(text)).as(text).isEqualTo(Jid.parseAndNormalise(text));
        }
    }

    @Test
    void randomCanonicalAddressesTakeTheShortcutAndMatchTheFullPath() {
        Random random = new Random(42);
        String bare = "abcdefghijklmnopqrstuvwxyz0123456789.-_";
        String resource = bare + "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        for (int i = 0; i < 2000; i++) {
            String local = word(random, bare, 1 + random.nextInt(12)).replace(".", "x");
            String domain = word(random, "abcdefghijklmnopqrstuvwxyz0123456789-", 1 + random.nextInt(10)) + ".example";
            String text = local + "@" + domain + (random.nextBoolean() ? "/" + word(random, resource, 1 + random.nextInt(16)) : "");
            assertThat(Jid.parseCanonicalAscii(text)).as(text).isNotNull().isEqualTo(Jid.parseAndNormalise(text));
        }
    }

    @Test
    void anythingNotCanonicalTakesTheFullPath() {
        assertThat(Jid.parseCanonicalAscii("Juliet@capulet.lit")).isNull();
        assertThat(Jid.parseCanonicalAscii("juliet@capulet.lit.")).isNull();
        assertThat(Jid.parseCanonicalAscii("juliet@[::1]")).isNull();
        assertThat(Jid.parseCanonicalAscii("jülia@capulet.lit")).isNull();
        assertThat(Jid.parseCanonicalAscii("juliet@capulet..lit")).isNull();
        assertThat(Jid.parseCanonicalAscii("juliet@capulet.lit/a..b")).as("'..' in the resource is fine")
                .isEqualTo(new Jid("juliet", "capulet.lit", "a..b"));
        assertThat(Jid.parse("Juliet@Capulet.LIT/Balcony")).isEqualTo(new Jid("juliet", "capulet.lit", "Balcony"));
    }

    @Test
    void malformedAddressesAreRefusedEitherWay() {
        for (String text : MALFORMED) {
            assertThatThrownBy(() -> Jid.parse(text)).as(text).isInstanceOf(Jid.JidFormatException.class);
            assertThat(Jid.parseOrNull(text)).as(text).isNull();
        }
        assertThat(Jid.parseCanonicalAscii("x".repeat(1024) + "@capulet.lit")).as("localpart over 1023").isNull();
    }

    private static String word(Random random, String alphabet, int length) {
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < length; i++) {
            word.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return word.toString();
    }
}
