package org.skerry.federation.link;

/**
 * Where to reach a peer's server.
 *
 * @param host      host name or IP literal
 * @param port      TCP port
 * @param directTls true for an XEP-0368 {@code _xmpps-server} target (TLS from the first byte), false for STARTTLS
 */
public record PeerAddress(String host, int port, boolean directTls) {}
