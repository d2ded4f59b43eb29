package org.skerry.server.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.xml.stream.XMLInputFactory;
import org.junit.jupiter.api.Test;
import org.skerry.server.xmpp.StreamError;
import org.skerry.server.xmpp.StreamError.Condition;

/** RFC 6120 §11 restricted XML, §13.12 resource limits, and plainly malformed input. */
class XmlStreamParserHostileInputTest {
    private static final String HEADER = RecordingParser.HEADER;
    /** The header without its XML declaration. */
    private static final String STREAM_TAG = HEADER.substring(HEADER.indexOf("<stream"));

    private static final String BILLION_LAUGHS = "<?xml version='1.0'?>\n<!DOCTYPE stream:stream [\n"
        + " <!ENTITY lol 'lol'>\n"
        + " <!ENTITY lol1 '&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;'>\n"
        + " <!ENTITY lol2 '&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;'>\n"
        + " <!ENTITY lol3 '&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;'>\n"
        + " <!ENTITY lol4 '&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;'>\n"
        + " <!ENTITY lol5 '&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;'>\n"
        + " <!ENTITY lol6 '&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;'>\n"
        + " <!ENTITY lol7 '&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;'>\n"
        + " <!ENTITY lol8 '&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;'>\n"
        + " <!ENTITY lol9 '&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;'>\n"
        + "]>\n<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>"
        + "<message><body>&lol9;</body></message>";

    private static StreamError parseError(XmlLimits limits, String xml) {
        RecordingParser recording = new RecordingParser(limits);
        StreamError error = catchThrowableOfType(StreamError.class, () -> recording.feed(xml));
        String shown = xml.length() > 160 ? xml.substring(0, 160) + "..." : xml;
        assertThat(error).as("expected a stream error for %s", shown).isNotNull();
        StreamError bytewise = catchThrowableOfType(StreamError.class,
            () -> new RecordingParser(limits).feedBytewise(xml));
        assertThat(bytewise).as("bytewise").isNotNull();
        assertThat(bytewise.condition()).as("bytewise condition").isEqualTo(error.condition());
        return error;
    }

    private static Condition condition(String xml) {
        return parseError(XmlLimits.defaults(), xml).condition();
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void aaltoIsConfiguredNeverToProcessDtdsOrEntities() {
        var factory = XmlStreamParser.factory();
        assertThat(factory.getProperty(XMLInputFactory.SUPPORT_DTD)).isEqualTo(false);
        assertThat(factory.getProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES)).isEqualTo(false);
        assertThat(factory.getProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES)).isEqualTo(false);
    }

    @Test
    void billionLaughsFailsFastWithRestrictedXml() {
        byte[] bomb = BILLION_LAUGHS.getBytes(StandardCharsets.UTF_8);
        RecordingParser recording = new RecordingParser();
        long allocatedBefore = allocatedBytes();
        int fed = 0;
        StreamError error = null;
        while (error == null && fed < bomb.length) {
            int length = Math.min(16, bomb.length - fed);
            int offset = fed;
            fed += length;
            error = catchThrowableOfType(StreamError.class, () -> recording.parser.feed(bomb, offset, length));
        }
        long allocated = allocatedBytes() - allocatedBefore;

        assertThat(error).isNotNull();
        assertThat(error.condition()).isEqualTo(Condition.RESTRICTED_XML);
        assertThat(fed).as("rejected at the DOCTYPE, before the entity definitions").isLessThan(64);
        assertThat(allocated).as("bytes allocated").isLessThan(2_000_000);
        assertThat(recording.events).isEmpty();
    }

    @Test
    void doctypesAreRestrictedWithOrWithoutInternalSubset() {
        assertThat(condition(BILLION_LAUGHS)).isEqualTo(Condition.RESTRICTED_XML);
        assertThat(condition("<!DOCTYPE stream:stream>" + STREAM_TAG))
            .isEqualTo(Condition.RESTRICTED_XML);
        assertThat(condition("<?xml version='1.0'?><!DOCTYPE stream:stream SYSTEM 'http://127.0.0.1/x.dtd'>"))
            .isEqualTo(Condition.RESTRICTED_XML);
    }

    @Test
    void externalEntityIsRestrictedAndNeverResolved() {
        String xxe = "<?xml version='1.0'?><!DOCTYPE stream:stream [<!ENTITY xxe SYSTEM 'file:///etc/passwd'>]>"
            + "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>"
            + "<message><body>&xxe;</body></message>";
        RecordingParser recording = new RecordingParser();
        StreamError error = catchThrowableOfType(StreamError.class, () -> recording.feed(xxe));

        assertThat(error.condition()).isEqualTo(Condition.RESTRICTED_XML);
        assertThat(recording.events).isEmpty();
    }

    @Test
    void doctypeInsideTheStreamIsRejected() {
        assertThat(condition(HEADER + "<!DOCTYPE x [<!ENTITY a 'b'>]><message>&a;</message>"))
            .isIn(Condition.NOT_WELL_FORMED, Condition.RESTRICTED_XML);
    }

    @Test
    void commentsAreRestrictedEverywhere() {
        assertThat(condition("<!-- hi -->" + HEADER)).isEqualTo(Condition.RESTRICTED_XML);
        assertThat(condition("<?xml version='1.0'?>\n<!-- hi -->" + STREAM_TAG))
            .isEqualTo(Condition.RESTRICTED_XML);
        assertThat(condition(HEADER + "<!-- between stanzas -->")).isEqualTo(Condition.RESTRICTED_XML);
        assertThat(condition(HEADER + "<message><!-- inside --></message>")).isEqualTo(Condition.RESTRICTED_XML);
        assertThat(condition(HEADER + "</stream:stream><!-- after -->")).isEqualTo(Condition.RESTRICTED_XML);
    }

    @Test
    void processingInstructionsAreRestricted() {
        assertThat(condition("<?xml-stylesheet href='x'?>" + HEADER)).isEqualTo(Condition.RESTRICTED_XML);
        assertThat(condition(HEADER + "<?pi data?>")).isEqualTo(Condition.RESTRICTED_XML);
        assertThat(condition(HEADER + "<message><?pi data?></message>")).isEqualTo(Condition.RESTRICTED_XML);
    }

    @Test
    void undeclaredEntitiesAreRestrictedInTextAndAttributes() {
        assertThat(condition(HEADER + "<message><body>a &foo; b</body></message>")).isEqualTo(Condition.RESTRICTED_XML);
        assertThat(condition(HEADER + "<message id='&foo;'/>")).isEqualTo(Condition.RESTRICTED_XML);
        assertThat(condition(HEADER + "<message><body>&nbsp;</body></message>")).isEqualTo(Condition.RESTRICTED_XML);
    }

    @Test
    void hugeStanzaIsRejectedWhileStreamingWithoutBufferingIt() {
        XmlLimits limits = XmlLimits.defaults();
        RecordingParser recording = new RecordingParser(limits).feed(HEADER + "<message><body>");
        byte[] chunk = new byte[4096];
        Arrays.fill(chunk, (byte) 'x');
        long allocatedBefore = allocatedBytes();
        long fed = 0;
        StreamError error = null;
        while (error == null && fed < 4 * 1024 * 1024) {
            fed += chunk.length;
            error = catchThrowableOfType(StreamError.class, () -> recording.parser.feed(chunk, 0, chunk.length));
        }
        long allocated = allocatedBytes() - allocatedBefore;

        assertThat(error).as("4 MiB stanza must be rejected").isNotNull();
        assertThat(error.condition()).isEqualTo(Condition.POLICY_VIOLATION);
        assertThat(fed).as("bytes fed before rejection").isLessThanOrEqualTo(limits.maxStanzaBytes() + chunk.length);
        // Buffering 4 MiB of text as chars would take more than 8 MB by itself.
        assertThat(allocated).as("bytes allocated").isLessThan(6_000_000);
        assertThat(recording.stanzas()).isEmpty();
    }

    @Test
    void stanzaLimitIsExact() {
        String stanza = "<message to='a@b'><body>" + "z".repeat(500) + "</body></message>";
        int size = stanza.getBytes(StandardCharsets.UTF_8).length;

        RecordingParser atLimit = new RecordingParser(new XmlLimits(size, 8, 8)).feed(HEADER + "  " + stanza + " ");
        assertThat(atLimit.stanzas()).hasSize(1);
        assertThat(parseError(new XmlLimits(size - 1, 8, 8), HEADER + "  " + stanza).condition())
            .isEqualTo(Condition.POLICY_VIOLATION);
    }

    @Test
    void hugeStartTagOrAttributeIsRejected() {
        XmlLimits limits = new XmlLimits(1024, 8, 8);
        assertThat(parseError(limits, HEADER + "<message to='" + "a".repeat(5000)).condition())
            .isEqualTo(Condition.POLICY_VIOLATION);
        assertThat(parseError(limits, HEADER + "<" + "m".repeat(5000)).condition())
            .isEqualTo(Condition.POLICY_VIOLATION);
    }

    @Test
    void dataBeforeTheStreamHeaderIsBounded() {
        XmlLimits limits = new XmlLimits(1024, 8, 8);
        assertThat(parseError(limits, "<?xml version='1.0'?>" + " ".repeat(5000) + STREAM_TAG).condition())
            .isEqualTo(Condition.POLICY_VIOLATION);
        assertThat(parseError(limits, "<stream:stream xmlns:stream='http://etherx.jabber.org/streams' to='"
            + "a".repeat(5000)).condition()).isEqualTo(Condition.POLICY_VIOLATION);
    }

    @Test
    void depthLimit() {
        XmlLimits limits = new XmlLimits(262_144, 32, 64);
        String deepest = "<a>".repeat(32) + "</a>".repeat(32);
        assertThat(new RecordingParser(limits).feed(HEADER + deepest).stanzas()).hasSize(1);
        assertThat(parseError(limits, HEADER + "<a>".repeat(33)).condition()).isEqualTo(Condition.POLICY_VIOLATION);
    }

    @Test
    void attributeLimit() {
        XmlLimits limits = new XmlLimits(262_144, 32, 64);
        StringBuilder attributes = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            attributes.append(" a").append(i).append("='v'");
        }
        assertThat(new RecordingParser(limits).feed(HEADER + "<message" + attributes + "/>").stanzas()).hasSize(1);
        assertThat(parseError(limits, HEADER + "<message" + attributes + " one-more='v'/>").condition())
            .isEqualTo(Condition.POLICY_VIOLATION);
        assertThat(parseError(limits, HEADER + "<message" + attributes + " xmlns='urn:x'/>").condition())
            .as("namespace declarations count").isEqualTo(Condition.POLICY_VIOLATION);
        assertThat(parseError(new XmlLimits(1024, 4, 2), HEADER).condition())
            .as("the stream header is limited too").isEqualTo(Condition.POLICY_VIOLATION);
    }

    @Test
    void malformedMarkupIsNotWellFormed() {
        assertThat(condition(HEADER + "<message><body></message>")).isEqualTo(Condition.NOT_WELL_FORMED);
        assertThat(condition(HEADER + "<message></presence>")).isEqualTo(Condition.NOT_WELL_FORMED);
        assertThat(condition(HEADER + "</message>")).isEqualTo(Condition.NOT_WELL_FORMED);
        assertThat(condition(HEADER + "<message a='1' a='2'/>")).isEqualTo(Condition.NOT_WELL_FORMED);
        assertThat(condition(HEADER + "<message a=1/>")).isEqualTo(Condition.NOT_WELL_FORMED);
        assertThat(condition(HEADER + "<message><body>\u0001</body></message>")).isEqualTo(Condition.NOT_WELL_FORMED);
        assertThat(condition(HEADER + "<message><body>&#0;</body></message>")).isEqualTo(Condition.NOT_WELL_FORMED);
        assertThat(condition(HEADER + "<message><body>a < b</body></message>")).isEqualTo(Condition.NOT_WELL_FORMED);
        assertThat(condition("GET / HTTP/1.1\r\nHost: x\r\n\r\n")).isEqualTo(Condition.NOT_WELL_FORMED);
    }

    @Test
    void invalidUtf8IsNotWellFormed() {
        byte[] header = HEADER.getBytes(StandardCharsets.UTF_8);
        byte[] bad = {'<', 'b', '>', (byte) 0xC3, (byte) 0x28, '<', '/', 'b', '>'};
        RecordingParser recording = new RecordingParser();
        recording.parser.feed(header, 0, header.length);
        StreamError error = catchThrowableOfType(StreamError.class, () -> recording.parser.feed(bad, 0, bad.length));

        assertThat(error.condition()).isEqualTo(Condition.NOT_WELL_FORMED);
    }

    @Test
    void undeclaredPrefixIsBadNamespacePrefix() {
        assertThat(condition(HEADER + "<foo:message/>")).isEqualTo(Condition.BAD_NAMESPACE_PREFIX);
        assertThat(condition(HEADER + "<message foo:bar='1'/>")).isEqualTo(Condition.BAD_NAMESPACE_PREFIX);
        assertThat(condition("<stream xmlns='jabber:client'/>")).isIn(Condition.INVALID_NAMESPACE);
        assertThat(condition("<stream:stream xmlns='jabber:client'>")).isEqualTo(Condition.BAD_NAMESPACE_PREFIX);
    }

    @Test
    void textAtStreamLevelIsNotWellFormed() {
        assertThat(condition(HEADER + "hello")).isEqualTo(Condition.NOT_WELL_FORMED);
        assertThat(condition(HEADER + "<presence/> x <presence/>")).isEqualTo(Condition.NOT_WELL_FORMED);
    }

    @Test
    void wrongStreamElementIsInvalidNamespace() {
        assertThat(condition("<stream:stream xmlns='jabber:client' xmlns:stream='http://wrong.example/streams'>"))
            .isEqualTo(Condition.INVALID_NAMESPACE);
        assertThat(condition("<?xml version='1.0'?><message xmlns='jabber:client'/>"))
            .isEqualTo(Condition.INVALID_NAMESPACE);
        assertThat(condition("<stream:features xmlns:stream='http://etherx.jabber.org/streams'>"))
            .isEqualTo(Condition.INVALID_NAMESPACE);
    }

    @Test
    void bytesAfterTheCloseAreNotWellFormed() {
        assertThat(condition(HEADER + "</stream:stream>junk")).isEqualTo(Condition.NOT_WELL_FORMED);
        assertThat(condition(HEADER + "</stream:stream><presence/>")).isEqualTo(Condition.NOT_WELL_FORMED);
        assertThat(condition(HEADER + "</stream:stream>" + STREAM_TAG)).isEqualTo(Condition.NOT_WELL_FORMED);
    }

    @Test
    void encodingsOtherThanUtf8AreUnsupported() {
        assertThat(condition("<?xml version='1.0' encoding='ISO-8859-1'?>" + STREAM_TAG))
            .isEqualTo(Condition.UNSUPPORTED_ENCODING);
        assertThat(condition("<?xml version='1.0' encoding='UTF-16'?>" + STREAM_TAG))
            .isEqualTo(Condition.UNSUPPORTED_ENCODING);
        assertThat(new RecordingParser().feed("<?xml version='1.0' encoding='utf-8'?>" + STREAM_TAG)
            .events).hasSize(1);
    }

    @Test
    void onlyXml10IsAccepted() {
        assertThat(condition("<?xml version='1.1'?>" + STREAM_TAG)).isEqualTo(Condition.NOT_WELL_FORMED);
    }

    @Test
    void parserIsDeadAfterAnError() {
        RecordingParser recording = new RecordingParser();
        StreamError first = catchThrowableOfType(StreamError.class,
            () -> recording.feed(HEADER + "<presence/><message></presence>"));
        int eventsAtError = recording.events.size();
        StreamError again = catchThrowableOfType(StreamError.class, () -> recording.feed("<presence/>"));
        recording.parser.reset();
        StreamError afterReset = catchThrowableOfType(StreamError.class, () -> recording.feed(HEADER));

        assertThat(first.condition()).isEqualTo(Condition.NOT_WELL_FORMED);
        assertThat(eventsAtError).isEqualTo(2);
        assertThat(again).isNotNull();
        assertThat(again.condition()).isEqualTo(Condition.NOT_WELL_FORMED);
        assertThat(afterReset).isNotNull();
        assertThat(recording.events).hasSize(eventsAtError);
    }

    @Test
    void listenerExceptionKillsTheParser() {
        RecordingParser recording = new RecordingParser();
        recording.onElement = element -> {
            throw new StreamError(Condition.UNSUPPORTED_STANZA_TYPE);
        };
        StreamError error = catchThrowableOfType(StreamError.class, () -> recording.feed(HEADER + "<foo/><bar/>"));

        assertThat(error.condition()).isEqualTo(Condition.UNSUPPORTED_STANZA_TYPE);
        assertThat(recording.stanzas()).extracting(Element::name).containsExactly("foo");
        assertThat(catchThrowableOfType(StreamError.class, () -> recording.feed("<baz/>"))).isSameAs(error);
    }
}
