package org.skerry.federation.link;

/**
 * One usable SRV record of a peer domain (RFC 2782), with the kind of service it came from.
 *
 * @param priority  lower is tried first
 * @param weight    relative share among records of equal priority
 * @param target    host name of the server
 * @param port      TCP port
 * @param directTls true for {@code _xmpps-server} (XEP-0368), false for {@code _xmpp-server} (STARTTLS)
 */
record ServiceRecord(int priority, int weight, String target, int port, boolean directTls) {}
