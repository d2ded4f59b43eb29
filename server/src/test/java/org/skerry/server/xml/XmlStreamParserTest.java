package org.skerry.server.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.skerry.server.xmpp.Namespaces;
import org.skerry.server.xmpp.StreamError;

class XmlStreamParserTest {
    private static final String STREAM = RecordingParser.HEADER
        + "\n  <message to='juliet@example.com' type='chat' id='m1' xml:lang='de'>"
        + "<body>Hallo &amp; Grüße ☺ &lt;3 &#x263A;&#65;</body>"
        + "<active xmlns='http://jabber.org/protocol/chatstates'/></message>\n"
        + "<presence/> \t\r\n"
        + "<iq type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>phone</resource></bind></iq>"
        + "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"
        + "</stream:stream>";

    @Test
    void parsesHeaderStanzasAndClose() {
        RecordingParser recording = new RecordingParser().feed(STREAM);

        assertThat(recording.events).hasSize(6);
        assertThat(recording.events.get(0)).isInstanceOf(StreamOpen.class);
        assertThat(recording.events.get(5)).isSameAs(StreamClose.INSTANCE);
        List<Element> stanzas = recording.stanzas();
        assertThat(stanzas).extracting(Element::name).containsExactly("message", "presence", "iq", "starttls");
        Element message = stanzas.get(0);
        assertThat(message.namespace()).isEqualTo(Namespaces.CLIENT);
        assertThat(message.attr("to")).isEqualTo("juliet@example.com");
        assertThat(message.attr("xml:lang")).isEqualTo("de");
        assertThat(message.childText("body")).isEqualTo("Hallo & Grüße ☺ <3 ☺A");
        assertThat(message.child("active", "http://jabber.org/protocol/chatstates")).isNotNull();
        assertThat(stanzas.get(2).child("bind", Namespaces.BIND).childText("resource")).isEqualTo("phone");
        assertThat(stanzas.get(3).is("starttls", Namespaces.TLS)).isTrue();
    }

    @Test
    void headerCarriesAttributesAndNamespaceDeclarations() {
        RecordingParser recording = new RecordingParser().feed("<stream:stream xmlns='jabber:server'"
            + " xmlns:stream='http://etherx.jabber.org/streams' xmlns:db='jabber:server:dialback'"
            + " from='a.example' to='b.example' id='s1' version='1.0' xml:lang='en'>");

        Element header = ((StreamOpen) recording.events.get(0)).header();
        assertThat(header.is("stream", Namespaces.STREAM)).isTrue();
        assertThat(header.attr("xmlns")).isEqualTo("jabber:server");
        assertThat(header.attr("xmlns:db")).isEqualTo("jabber:server:dialback");
        assertThat(header.attr("from")).isEqualTo("a.example");
        assertThat(header.attr("to")).isEqualTo("b.example");
        assertThat(header.attr("id")).isEqualTo("s1");
        assertThat(header.attr("version")).isEqualTo("1.0");
        assertThat(header.attr("xml:lang")).isEqualTo("en");
        assertThat(new StreamOpen(header).defaultNamespace()).isEqualTo("jabber:server");
        assertThat(recording.parser.defaultNamespace()).isEqualTo("jabber:server");
    }

    @Test
    void sameEventsWhateverTheByteBoundaries() {
        List<String> whole = new RecordingParser().feed(STREAM).describe();

        assertThat(new RecordingParser().feedBytewise(STREAM).describe()).isEqualTo(whole);
        byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
        for (int split = 1; split < bytes.length; split++) {
            RecordingParser recording = new RecordingParser();
            recording.parser.feed(bytes, 0, split);
            recording.parser.feed(bytes, split, bytes.length - split);
            assertThat(recording.describe()).as("split at %d", split).isEqualTo(whole);
        }
    }

    @Test
    void resolvesPrefixesAndNestedDefaultNamespaces() {
        RecordingParser recording = new RecordingParser().feed("<stream:stream xmlns='jabber:server'"
            + " xmlns:stream='http://etherx.jabber.org/streams' xmlns:db='jabber:server:dialback'>"
            + "<db:result from='a' to='b'>key</db:result>"
            + "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>EXTERNAL</mechanism>"
            + "</mechanisms></stream:features>"
            + "<message><x:data xmlns:x='urn:x'><x:item/><plain/></x:data></message>"
            + "<message xmlns:p='urn:p' p:mark='1'/>");

        List<Element> stanzas = recording.stanzas();
        assertThat(stanzas.get(0).is("result", "jabber:server:dialback")).isTrue();
        assertThat(stanzas.get(0).text()).isEqualTo("key");
        assertThat(stanzas.get(1).is("features", Namespaces.STREAM)).isTrue();
        assertThat(stanzas.get(1).child("mechanisms", Namespaces.SASL).childText("mechanism")).isEqualTo("EXTERNAL");
        Element data = stanzas.get(2).child("data", "urn:x");
        assertThat(stanzas.get(2).namespace()).isEqualTo("jabber:server");
        assertThat(data.child("item", "urn:x")).isNotNull();
        assertThat(data.child("plain", "jabber:server")).as("unprefixed child keeps the inherited default").isNotNull();
        Element marked = stanzas.get(3);
        assertThat(marked.attr("p:mark")).isEqualTo("1");
        assertThat(marked.attr("xmlns:p")).isEqualTo("urn:p");
        assertThat(marked.toXml()).isEqualTo("<message xmlns='jabber:server' xmlns:p='urn:p' p:mark='1'/>");
    }

    @Test
    void elementsWithoutAnyNamespaceHaveTheEmptyNamespace() {
        RecordingParser recording = new RecordingParser()
            .feed("<stream:stream xmlns:stream='http://etherx.jabber.org/streams'><message/>");

        assertThat(recording.parser.defaultNamespace()).isEmpty();
        assertThat(recording.stanzas().get(0).namespace()).isEmpty();
    }

    @Test
    void escapedTextAndAttributesRoundTripThroughToXml() {
        String body = "a < b && c > d \"q\" 'a' ]]> \u263A \uD83D\uDE00";
        RecordingParser first = new RecordingParser().feed(RecordingParser.HEADER
            + "<message id='&quot;&apos;&lt;&amp;&gt;'><body>a &lt; b &amp;&amp; c &gt; d \"q\" 'a' ]]&gt; &#x263A; "
            + "\uD83D\uDE00</body><body><![CDATA[<b>&amp;</b>]]></body></message>");
        Element message = first.stanzas().get(0);
        assertThat(message.attr("id")).isEqualTo("\"'<&>");
        assertThat(message.elements().get(0).text()).isEqualTo(body);
        assertThat(message.elements().get(1).text()).isEqualTo("<b>&amp;</b>");

        Element reparsed = new RecordingParser().feed(RecordingParser.HEADER + message.toXml()).stanzas().get(0);
        assertThat(reparsed.toXml()).isEqualTo(message.toXml());
        assertThat(reparsed.attr("id")).isEqualTo("\"'<&>");
        assertThat(reparsed.elements().get(0).text()).isEqualTo(body);
    }

    @Test
    void textSplitAcrossSlicesStaysOneTextNode() {
        String longText = "y".repeat(3 * XmlStreamParser.SLICE_BYTES + 17);
        Element message = new RecordingParser().feed(RecordingParser.HEADER + "<message><body>" + longText
            + "</body></message>").stanzas().get(0);

        assertThat(message.child("body").children()).containsExactly(longText);
    }

    @Test
    void whitespaceKeepalivesAreIgnoredAndCountTowardNoLimit() {
        RecordingParser recording = new RecordingParser(new XmlLimits(300, 8, 8)).feed(RecordingParser.HEADER);
        for (int i = 0; i < 100; i++) {
            recording.feed(" \n\t\r ".repeat(100)); // 50 kB of keepalives, far beyond the 300-byte stanza limit
        }
        recording.feed("<presence/>" + " ".repeat(20_000) + "<presence/>\n");

        assertThat(recording.events).hasSize(3);
        assertThat(recording.stanzas()).extracting(Element::toXml)
            .containsExactly("<presence xmlns='jabber:client'/>", "<presence xmlns='jabber:client'/>");
    }

    @Test
    void emptyStreamElementOpensAndCloses() {
        RecordingParser recording = new RecordingParser()
            .feed("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'/>");

        assertThat(recording.events).hasSize(2);
        assertThat(recording.events.get(1)).isSameAs(StreamClose.INSTANCE);
    }

    @Test
    void whitespaceAfterTheCloseIsAllowed() {
        RecordingParser recording = new RecordingParser().feed(RecordingParser.HEADER + "</stream:stream>\n  \n");

        assertThat(recording.events).hasSize(2);
    }

    @Test
    void resetBetweenFeedsStartsANewDocument() {
        RecordingParser recording = new RecordingParser()
            .feed(RecordingParser.HEADER + "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>");
        recording.parser.reset();
        recording.feed(RecordingParser.HEADER + "<iq type='set' id='1'/>");

        assertThat(recording.events).hasSize(4);
        assertThat(recording.events.get(2)).isInstanceOf(StreamOpen.class);
        assertThat(recording.stanzas()).extracting(Element::name).containsExactly("success", "iq");
    }

    @Test
    void resetWithoutXmlDeclarationAndPartialOldStanzaIsDiscarded() {
        RecordingParser recording = new RecordingParser().feed(RecordingParser.HEADER + "<message><body>unfinished");
        recording.parser.reset();
        recording.feed("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>"
            + "<presence/>");

        assertThat(recording.stanzas()).extracting(Element::name).containsExactly("presence");
    }

    @Test
    void resetFromACallbackHandsTheRestOfTheChunkToTheNewDocument() {
        String restart = RecordingParser.HEADER + "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>"
            + "<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams' to='second'><iq id='after'/>";
        for (boolean bytewise : new boolean[] {false, true}) {
            RecordingParser recording = new RecordingParser();
            recording.onElement = element -> {
                if (element.name().equals("success")) {
                    recording.parser.reset();
                }
            };
            if (bytewise) {
                recording.feedBytewise(restart);
            } else {
                recording.feed(restart);
            }

            assertThat(recording.events).as("bytewise=%s", bytewise).hasSize(4);
            assertThat(((StreamOpen) recording.events.get(2)).header().attr("to")).isEqualTo("second");
            assertThat(recording.stanzas()).extracting(e -> e.attr("id")).containsExactly(null, "after");
        }
    }

    @Test
    void resetFromACallbackAcrossSlices() {
        // the restart point falls in the middle of the second slice of one large feed
        String padding = "<message><body>" + "p".repeat(XmlStreamParser.SLICE_BYTES + 100) + "</body></message>";
        RecordingParser recording = new RecordingParser();
        recording.onElement = element -> {
            if (element.name().equals("proceed")) {
                recording.parser.reset();
            }
        };
        recording.feed(RecordingParser.HEADER + padding + "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"
            + RecordingParser.HEADER + padding + "</stream:stream>");

        assertThat(recording.events).hasSize(6);
        assertThat(recording.stanzas()).extracting(Element::name).containsExactly("message", "proceed", "message");
        assertThat(recording.events.get(5)).isSameAs(StreamClose.INSTANCE);
    }

    @Test
    void bytesFedFromTheMiddleOfAnArrayRestartAndMeasureLikeAnyOthers() {
        // The parser reads the caller's array in place: a reset point and the stanza limit must count from the
        // offset given, not from the start of the array.
        String padding = "<message><body>" + "p".repeat(XmlStreamParser.SLICE_BYTES + 100) + "</body></message>";
        RecordingParser recording = new RecordingParser();
        recording.onElement = element -> {
            if (element.name().equals("proceed")) {
                recording.parser.reset();
            }
        };
        recording.feedAtOffset(RecordingParser.HEADER + padding + "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"
            + RecordingParser.HEADER + padding + "</stream:stream>", 5000);
        assertThat(recording.stanzas()).extracting(Element::name).containsExactly("message", "proceed", "message");

        String fits = "<message><body>" + "q".repeat(300 - "<message><body></body></message>".length())
            + "</body></message>";
        RecordingParser limited = new RecordingParser(new XmlLimits(300, 8, 8)).feedAtOffset(RecordingParser.HEADER, 3);
        limited.feedAtOffset(fits, 4000).feedAtOffset(fits, 1);
        assertThat(limited.stanzas()).hasSize(2);
        assertThatThrownBy(() -> limited.feedAtOffset(fits.replace("<body>", "<body>q"), 4000))
            .isInstanceOf(StreamError.class).hasMessageContaining("exceeds 300 bytes");
    }

    @Test
    void feedingFromACallbackIsRefused() {
        RecordingParser recording = new RecordingParser();
        recording.onElement = element -> recording.feed("<presence/>");

        assertThatThrownBy(() -> recording.feed(RecordingParser.HEADER + "<presence/>"))
            .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void feedAfterEndOfInputIsRefused() {
        RecordingParser recording = new RecordingParser().feed(RecordingParser.HEADER);
        recording.parser.endOfInput();

        assertThatThrownBy(() -> recording.feed("<presence/>")).isInstanceOf(IllegalStateException.class);
    }
}
