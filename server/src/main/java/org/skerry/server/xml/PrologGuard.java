package org.skerry.server.xml;

import org.skerry.server.xmpp.StreamError;

/**
 * Watches the raw bytes before the root element of a document and rejects {@code <!} there, which can only
 * start a DOCTYPE or a comment, both forbidden by RFC 6120 §11.1.
 *
 * <p>Why bytes and not parser events: Aalto's async parser does not parse an internal DTD subset at all and
 * reports it as a generic well-formedness error, so an entity bomb would surface as not-well-formed instead of
 * restricted-xml. Looking at the bytes also fails fast, before the rest of a large DTD has even arrived.
 * Processing instructions ({@code <?}) are skipped here: the XML declaration is one, and any other one is
 * reported by Aalto as an event and rejected there.
 */
final class PrologGuard {
    private enum State { OUTSIDE, AFTER_LT, IN_PI, IN_PI_AFTER_QUESTION, DONE }

    private State state = State.OUTSIDE;

    /** True once the root element's '<' has been seen; then nothing more needs checking. */
    boolean done() { return state == State.DONE; }

    void scan(byte[] data, int offset, int length) {
        for (int i = offset; i < offset + length && state != State.DONE; i++) {
            byte b = data[i];
            state = switch (state) {
                case OUTSIDE -> b == '<' ? State.AFTER_LT : State.OUTSIDE;
                case AFTER_LT -> {
                    if (b == '!') {
                        throw new StreamError(StreamError.Condition.RESTRICTED_XML,
                            "DTDs and comments are not allowed in XMPP");
                    }
                    yield b == '?' ? State.IN_PI : State.DONE;
                }
                case IN_PI -> b == '?' ? State.IN_PI_AFTER_QUESTION : State.IN_PI;
                case IN_PI_AFTER_QUESTION -> b == '>' ? State.OUTSIDE : b == '?' ? State.IN_PI_AFTER_QUESTION : State.IN_PI;
                case DONE -> State.DONE;
            };
        }
    }
}
