package org.skerry.bench.xmpp;

/** One user of the benchmark: {@code index} numbers it within the run (for pairing and source addresses). */
public record Account(int index, String user, String password, Server server) {
    public String bareJid() { return user + "@" + server.domain(); }
}
