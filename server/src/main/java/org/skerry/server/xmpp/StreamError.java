package org.skerry.server.xmpp;

import org.skerry.server.xml.Element;

/**
 * An RFC 6120 §4.9 stream error: the condition that ends a stream, with an optional human-readable text and an
 * optional application-specific condition (§4.9.4).
 * Thrown by parsers and the stream state machine; the connection handler sends it and closes the stream.
 */
public final class StreamError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** RFC 6120 §4.9.3 defined conditions, by their element names. */
    public enum Condition {
        BAD_FORMAT, BAD_NAMESPACE_PREFIX, CONFLICT, CONNECTION_TIMEOUT, HOST_GONE, HOST_UNKNOWN,
        IMPROPER_ADDRESSING, INTERNAL_SERVER_ERROR, INVALID_FROM, INVALID_NAMESPACE, INVALID_XML,
        NOT_AUTHORIZED, NOT_WELL_FORMED, POLICY_VIOLATION, REMOTE_CONNECTION_FAILED, RESET,
        RESOURCE_CONSTRAINT, RESTRICTED_XML, SEE_OTHER_HOST, SYSTEM_SHUTDOWN, UNDEFINED_CONDITION,
        UNSUPPORTED_ENCODING, UNSUPPORTED_FEATURE, UNSUPPORTED_STANZA_TYPE, UNSUPPORTED_VERSION;

        /** The element name, e.g. {@code restricted-xml}. */
        public String elementName() { return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'); }
    }

    private final Condition condition;
    private final transient Element applicationCondition;

    public StreamError(Condition condition, String text) {
        this(condition, text, null);
    }

    /** With an application-specific condition element in its own namespace, e.g. XEP-0198's handled-count-too-high. */
    public StreamError(Condition condition, String text, Element applicationCondition) {
        super(text == null ? condition.elementName() : condition.elementName() + ": " + text, null, false, false);
        this.condition = condition;
        this.applicationCondition = applicationCondition;
    }

    public StreamError(Condition condition) { this(condition, null); }

    public Condition condition() { return condition; }

    /** The application-specific condition, or null. */
    public Element applicationCondition() { return applicationCondition; }

    /** The text for the {@code <text/>} child, or null. */
    public String text() {
        String message = getMessage();
        int colon = message.indexOf(": ");
        return colon < 0 ? null : message.substring(colon + 2);
    }
}
