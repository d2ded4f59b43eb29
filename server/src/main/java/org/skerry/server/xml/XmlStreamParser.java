package org.skerry.server.xml;

import com.fasterxml.aalto.AsyncByteArrayFeeder;
import com.fasterxml.aalto.AsyncXMLInputFactory;
import com.fasterxml.aalto.AsyncXMLStreamReader;
import com.fasterxml.aalto.stax.InputFactoryImpl;
import java.util.ArrayDeque;
import java.util.Objects;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import org.skerry.server.xmpp.Namespaces;
import org.skerry.server.xmpp.StreamError;
import org.skerry.server.xmpp.StreamError.Condition;

/**
 * A non-blocking reader of one XMPP XML stream (RFC 6120 §4) that turns bytes, in whatever pieces they arrive,
 * into a stream header, one {@link Element} per first-level child (stanza or negotiation element), and the close.
 *
 * <p>It enforces the restricted XML of RFC 6120 §11 (no DTD, comment, processing instruction or entity reference
 * other than the five predefined ones; character references are fine) and the {@link XmlLimits}, throwing a
 * {@link StreamError} with the condition to send. Limits are checked while bytes stream in: input is handed to
 * Aalto in slices of at most {@value #SLICE_BYTES} bytes and the open region is measured after every slice, so an
 * oversized stanza is rejected at most one slice after it crosses the limit, never after buffering all of it.
 *
 * <p>Whitespace between stanzas (keepalives) is dropped and counts toward no limit. Text inside a stanza is kept
 * as text children (adjacent pieces merged). Element namespaces are resolved URIs; attribute names are kept as
 * written ({@code xml:lang}), and an element using a prefixed attribute other than {@code xml:} also gets the
 * matching {@code xmlns:prefix} attribute so that it serializes back to well-formed XML.
 *
 * <p>The stream header handed to {@link Listener#streamOpened} carries, besides its attributes, its namespace
 * declarations as attributes: {@code xmlns} (the default, i.e. content, namespace such as {@code jabber:client})
 * and {@code xmlns:prefix} (e.g. {@code xmlns:stream}, {@code xmlns:db} for dialback). {@link #defaultNamespace()}
 * returns the same default namespace. Whether that namespace is acceptable is for the stream layer to decide.
 *
 * <p>Not thread-safe: use it from one thread (a channel's event loop). Once a {@link StreamError} (or any other
 * exception, e.g. from the listener) has escaped {@link #feed}, the parser is dead and every later feed throws
 * again; {@link #reset()} does not revive it, because the stream is being torn down.
 */
public final class XmlStreamParser {

    /** Receives the parsed stream, synchronously from within {@link #feed}. */
    public interface Listener {
        /** The stream header; see the class comment for the attributes it carries. */
        void streamOpened(Element header);

        /** One complete first-level element of the stream, with namespaces resolved. */
        void element(Element stanza);

        /** The peer sent {@code </stream:stream>}. */
        void streamClosed();
    }

    /** The most bytes handed to Aalto at once, and so the granularity of limit checks. */
    static final int SLICE_BYTES = 2048;

    private static final AsyncXMLInputFactory FACTORY = newFactory();

    private final XmlLimits limits;
    private final Listener listener;
    /**
     * Input is copied into this parser's own slice before Aalto sees it: Aalto may look one byte past the end it
     * is given, so it never gets the caller's array, nor an array another stream wrote last. 2 KiB keeps an idle
     * connection small and the limit checks fine-grained.
     */
    private final byte[] slice = new byte[SLICE_BYTES];

    // State of the current XML document; a reset starts a new one.
    private AsyncXMLStreamReader<AsyncByteArrayFeeder> reader;
    private PrologGuard prologGuard;
    private long documentBytes;
    /** Document offset where the open region (the current stanza, or the gap since the last stream-level event) began. */
    private long regionStart;
    private boolean headerSeen;
    private String defaultNamespace;
    /** The stanza being built and its open descendants, innermost first. */
    private final ArrayDeque<Element> openElements = new ArrayDeque<>();
    /** Text of the innermost open element not yet added to it, so that text split across slices stays one node. */
    private final StringBuilder pendingText = new StringBuilder();

    // Lifecycle across documents.
    private StreamError failure;
    private boolean inputEnded;
    private boolean feeding;
    private boolean resetRequested;

    public XmlStreamParser(XmlLimits limits, Listener listener) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.listener = Objects.requireNonNull(listener, "listener");
        startDocument();
    }

    /**
     * Parses {@code length} bytes of {@code data} from {@code offset}, calling the listener for every event they
     * complete. The array is not retained after the call returns.
     *
     * @throws StreamError on malformed, restricted or oversized input; the parser is dead afterwards
     * @throws IllegalStateException if called from a listener callback or after {@link #endOfInput()}
     */
    public void feed(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        if (failure != null) {
            throw failure;
        }
        if (feeding) {
            throw new IllegalStateException("feed() must not be called from a listener callback");
        }
        if (inputEnded) {
            throw new IllegalStateException("feed() after endOfInput()");
        }
        feeding = true;
        try {
            int position = offset;
            int end = offset + length;
            while (position < end) {
                int sliceLength = Math.min(SLICE_BYTES, end - position);
                System.arraycopy(data, position, slice, 0, sliceLength);
                position += sliceLength;
                int usedBeforeReset = parseSlice(sliceLength);
                if (usedBeforeReset >= 0) {
                    // A listener restarted the stream: what follows the triggering element is the new document.
                    startDocument();
                    position -= sliceLength - usedBeforeReset;
                }
            }
        } catch (StreamError e) {
            failure = e;
            throw e;
        } catch (RuntimeException | Error e) {
            failure = new StreamError(Condition.INTERNAL_SERVER_ERROR, null);
            throw e;
        } finally {
            feeding = false;
        }
    }

    /**
     * Starts a new XML document, as after STARTTLS and SASL success (RFC 6120 §4.3.3), where the peer sends a new
     * XML declaration and stream header. Called from a listener callback, it takes effect right after the element
     * being delivered: the rest of the bytes being fed go to the new document.
     */
    public void reset() {
        if (failure != null || inputEnded) {
            return;
        }
        if (feeding) {
            resetRequested = true;
        } else {
            startDocument();
        }
    }

    /** The peer closed the connection: releases the Aalto reader. Later feeds are refused. */
    public void endOfInput() {
        inputEnded = true;
        closeReader();
    }

    /** The default namespace declared on the stream header ("" if none), or null before the header. */
    public String defaultNamespace() { return defaultNamespace; }

    /** Returns the bytes of the slice used by the old document if a reset was requested, else -1. */
    private int parseSlice(int sliceLength) {
        if (!prologGuard.done()) {
            prologGuard.scan(slice, 0, sliceLength);
        }
        long sliceStart = documentBytes;
        try {
            reader.getInputFeeder().feedInput(slice, 0, sliceLength);
        } catch (XMLStreamException e) {
            throw translate(e);
        }
        documentBytes += sliceLength;
        int event;
        while ((event = nextEvent()) != AsyncXMLStreamReader.EVENT_INCOMPLETE) {
            handle(event);
            if (resetRequested) {
                return (int) Math.max(0, Math.min(sliceLength, endOffset() - sliceStart));
            }
        }
        long openRegion = documentBytes - regionStart;
        if (openRegion > limits.maxStanzaBytes()) {
            throw new StreamError(Condition.POLICY_VIOLATION, (inStanza() ? "stanza" : headerSeen ? "unfinished markup"
                : "data before the stream header") + " exceeds " + limits.maxStanzaBytes() + " bytes");
        }
        return -1;
    }

    private void handle(int event) {
        switch (event) {
            case XMLStreamConstants.START_DOCUMENT -> checkDeclaration();
            case XMLStreamConstants.START_ELEMENT -> startElement();
            case XMLStreamConstants.END_ELEMENT -> endElement();
            case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> characters();
            case XMLStreamConstants.COMMENT -> throw restricted("comments are not allowed");
            case XMLStreamConstants.PROCESSING_INSTRUCTION -> throw restricted("processing instructions are not allowed");
            case XMLStreamConstants.DTD -> throw restricted("DTDs are not allowed");
            case XMLStreamConstants.ENTITY_REFERENCE ->
                throw restricted("entity reference &" + reader.getLocalName() + "; is not allowed");
            case XMLStreamConstants.END_DOCUMENT -> { }
            default -> throw new StreamError(Condition.NOT_WELL_FORMED, "unexpected XML construct " + event);
        }
    }

    private void checkDeclaration() {
        String version = reader.getVersion();
        if (version != null && !version.equals("1.0")) {
            // RFC 6120 §11.8: XMPP is XML 1.0; 1.1 would also admit control characters through references.
            throw new StreamError(Condition.NOT_WELL_FORMED, "only XML 1.0 is allowed, not " + version);
        }
        String declared = reader.getCharacterEncodingScheme();
        if (declared != null && !declared.equalsIgnoreCase("UTF-8")) {
            throw new StreamError(Condition.UNSUPPORTED_ENCODING, "only UTF-8 is allowed, not " + declared);
        }
    }

    private void startElement() {
        int attributeCount = reader.getAttributeCount() + reader.getNamespaceCount();
        if (attributeCount > limits.maxAttributes()) {
            throw new StreamError(Condition.POLICY_VIOLATION, "more than " + limits.maxAttributes() + " attributes");
        }
        if (!headerSeen) {
            openStream();
            return;
        }
        if (openElements.size() + 1 > limits.maxDepth()) {
            throw new StreamError(Condition.POLICY_VIOLATION, "elements nested deeper than " + limits.maxDepth());
        }
        Element element = new Element(reader.getLocalName(), reader.getNamespaceURI());
        copyAttributes(element);
        if (!openElements.isEmpty()) {
            flushText();
            openElements.peek().add(element);
        }
        openElements.push(element);
    }

    private void openStream() {
        if (!"stream".equals(reader.getLocalName()) || !Namespaces.STREAM.equals(reader.getNamespaceURI())) {
            throw new StreamError(Condition.INVALID_NAMESPACE,
                "expected <stream:stream> in namespace " + Namespaces.STREAM);
        }
        Element header = new Element("stream", Namespaces.STREAM);
        for (int i = 0; i < reader.getNamespaceCount(); i++) {
            String prefix = reader.getNamespacePrefix(i);
            String uri = reader.getNamespaceURI(i);
            header.attr(prefix == null || prefix.isEmpty() ? "xmlns" : "xmlns:" + prefix, uri == null ? "" : uri);
        }
        copyAttributes(header);
        String declaredDefault = header.attr("xmlns");
        defaultNamespace = declaredDefault == null ? "" : declaredDefault;
        long headerEnd = endOffset();
        if (headerEnd > limits.maxStanzaBytes()) {
            throw new StreamError(Condition.POLICY_VIOLATION, "stream header exceeds " + limits.maxStanzaBytes()
                + " bytes");
        }
        headerSeen = true;
        regionStart = headerEnd;
        listener.streamOpened(header);
    }

    private void copyAttributes(Element element) {
        for (int i = 0; i < reader.getAttributeCount(); i++) {
            String prefix = reader.getAttributePrefix(i);
            String localName = reader.getAttributeLocalName(i);
            String name = localName;
            if (prefix != null && !prefix.isEmpty()) {
                name = prefix + ":" + localName;
                if (!prefix.equals("xml") && element.attr("xmlns:" + prefix) == null) {
                    element.attr("xmlns:" + prefix, reader.getAttributeNamespace(i));
                }
            }
            element.attr(name, reader.getAttributeValue(i));
        }
    }

    private void endElement() {
        if (openElements.isEmpty()) {
            regionStart = endOffset();
            listener.streamClosed();
            return;
        }
        flushText();
        Element finished = openElements.pop();
        if (openElements.isEmpty()) {
            long end = endOffset();
            if (end - regionStart > limits.maxStanzaBytes()) {
                throw new StreamError(Condition.POLICY_VIOLATION, "stanza exceeds " + limits.maxStanzaBytes() + " bytes");
            }
            regionStart = end;
            listener.element(finished);
        }
    }

    private void characters() {
        if (inStanza()) {
            pendingText.append(reader.getTextCharacters(), reader.getTextStart(), reader.getTextLength());
            return;
        }
        if (!isWhitespace()) {
            throw new StreamError(Condition.NOT_WELL_FORMED, "text is only allowed inside stanzas");
        }
        if (headerSeen) {
            regionStart = endOffset(); // a keepalive: forget it, it counts toward nothing
        }
    }

    private boolean isWhitespace() {
        char[] chars = reader.getTextCharacters();
        int end = reader.getTextStart() + reader.getTextLength();
        for (int i = reader.getTextStart(); i < end; i++) {
            char c = chars[i];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return false;
            }
        }
        return true;
    }

    private void flushText() {
        if (pendingText.length() > 0) {
            openElements.peek().addText(pendingText.toString());
            pendingText.setLength(0);
        }
    }

    private boolean inStanza() { return !openElements.isEmpty(); }

    private int nextEvent() {
        try {
            return reader.next();
        } catch (XMLStreamException e) {
            throw translate(e);
        } catch (RuntimeException e) {
            // Whatever made Aalto itself fail came from the peer's bytes; the stream cannot go on either way.
            throw new StreamError(Condition.NOT_WELL_FORMED, "unparseable XML");
        }
    }

    private long endOffset() {
        try {
            return reader.getLocationInfo().getEndingByteOffset();
        } catch (XMLStreamException e) {
            throw translate(e);
        }
    }

    private void startDocument() {
        closeReader();
        reader = FACTORY.createAsyncForByteArray();
        prologGuard = new PrologGuard();
        documentBytes = 0;
        regionStart = 0;
        headerSeen = false;
        defaultNamespace = null;
        openElements.clear();
        pendingText.setLength(0);
        resetRequested = false;
    }

    private void closeReader() {
        if (reader != null) {
            try {
                reader.close();
            } catch (XMLStreamException ignored) {
                // nothing is held that closing could fail to release
            }
        }
    }

    /** Maps Aalto's well-formedness errors to stream error conditions; Aalto offers no error codes, only messages. */
    static StreamError translate(XMLStreamException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        int lineEnd = message.indexOf('\n');
        String reason = (lineEnd < 0 ? message : message.substring(0, lineEnd)).strip();
        Condition condition;
        if (reason.contains("Unbound namespace prefix")) {
            condition = Condition.BAD_NAMESPACE_PREFIX;
        } else if (reason.contains("Unsupported encoding")) {
            condition = Condition.UNSUPPORTED_ENCODING;
        } else if (reason.contains("ENTITY_REFERENCE")) {
            condition = Condition.RESTRICTED_XML; // an undeclared entity inside an attribute value
        } else {
            condition = Condition.NOT_WELL_FORMED;
        }
        return new StreamError(condition, reason.isEmpty() ? null : reason);
    }

    private static StreamError restricted(String reason) {
        return new StreamError(Condition.RESTRICTED_XML, reason);
    }

    /**
     * The Aalto configuration: never read or expand DTDs or external entities, and report entity references as
     * events (which are then rejected) instead of replacing them. Package-private so that tests can verify it.
     */
    static AsyncXMLInputFactory newFactory() {
        AsyncXMLInputFactory factory = new InputFactoryImpl();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        factory.setProperty(XMLInputFactory.IS_VALIDATING, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        factory.setProperty(XMLInputFactory.IS_COALESCING, false);
        return factory;
    }

    static AsyncXMLInputFactory factory() { return FACTORY; }
}
