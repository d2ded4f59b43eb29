package org.skerry.bench.xmpp;

import java.net.InetSocketAddress;

/** Where a server's clients connect and the domain it serves. */
public record Server(String host, int port, String domain) {
    public InetSocketAddress address() { return new InetSocketAddress(host, port); }
}
