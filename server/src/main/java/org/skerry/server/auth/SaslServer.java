package org.skerry.server.auth;

/**
 * The server side of one SASL exchange on one connection. Not thread-safe: the stream layer feeds it the
 * client's messages in order. Once it has returned {@link Step.Success} or thrown {@link SaslFailure}, the
 * exchange is over and every further call fails with {@link SaslCondition#MALFORMED_REQUEST}.
 */
public interface SaslServer {

    /** The mechanism name as offered, e.g. {@code SCRAM-SHA-256-PLUS}. */
    String mechanismName();

    /**
     * Processes the next client message (the already base64-decoded content of {@code <auth/>} or
     * {@code <response/>}).
     *
     * @param clientResponse the decoded data; for the initial response, {@code null} when the client sent
     *                       none (empty {@code <auth/>}) and a zero-length array when it sent "=" (RFC 6120 §6.4.2)
     */
    Step evaluate(byte[] clientResponse) throws SaslFailure;
}
