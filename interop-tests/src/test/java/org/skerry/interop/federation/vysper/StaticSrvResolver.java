package org.skerry.interop.federation.vysper;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Cache;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverListener;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Answers Vysper's {@code _xmpp-server._tcp} SRV look-ups from a fixed table, so that Vysper finds peers on loopback
 * ports without any DNS traffic. Vysper 0.7 has no hook for its s2s target: {@code DefaultXMPPServerConnector}
 * always asks dnsjava's static {@link Lookup}, whose default resolver is the one thing that can be replaced. Every
 * other name is answered NXDOMAIN locally.
 */
final class StaticSrvResolver implements Resolver {
    private static final String SRV_PREFIX = "_xmpp-server._tcp.";

    private final Map<Name, SRVRecord> records;

    private StaticSrvResolver(Map<Name, SRVRecord> records) { this.records = records; }

    /** Routes dnsjava (JVM-wide: only Vysper uses it) to {@code domain -> 127.0.0.1:port} and nothing else. */
    static void install(Map<String, Integer> loopbackPorts) {
        Map<Name, SRVRecord> records = new HashMap<>();
        for (Map.Entry<String, Integer> peer : loopbackPorts.entrySet()) {
            Name service = absolute(SRV_PREFIX + peer.getKey());
            records.put(service, new SRVRecord(service, DClass.IN, 60, 0, 0, peer.getValue(), new LoopbackTarget()));
        }
        Lookup.setDefaultResolver(new StaticSrvResolver(records));
        // A fresh cache and no search path: answers from an earlier test must not outlive their ports.
        Lookup.setDefaultCache(new Cache(DClass.IN), DClass.IN);
        Lookup.setDefaultSearchPath(new Name[0]);
    }

    @Override
    public Message send(Message query) {
        Record question = query.getQuestion();
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.AA);
        response.addRecord(question, Section.QUESTION);
        SRVRecord answer = question.getType() == Type.SRV ? records.get(question.getName()) : null;
        if (answer == null) {
            response.getHeader().setRcode(Rcode.NXDOMAIN);
        } else {
            response.addRecord(answer, Section.ANSWER);
        }
        return response;
    }

    @Override
    public Object sendAsync(Message query, ResolverListener listener) {
        Object id = new Object();
        listener.receiveMessage(id, send(query));
        return id;
    }

    private static Name absolute(String name) {
        try {
            return Name.fromString(name, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException(name, e);
        }
    }

    /**
     * The SRV target 127.0.0.1. Vysper turns the target into {@code new InetSocketAddress(target.toString(), port)};
     * a plain absolute name would print as "127.0.0.1." (trailing dot), which the JVM would send to the system
     * resolver instead of parsing it as an address literal.
     */
    private static final class LoopbackTarget extends Name {
        private static final long serialVersionUID = 1L;
        private static final String ADDRESS = "127.0.0.1";

        LoopbackTarget() {
            super(absolute(ADDRESS), 0);
        }

        @Override
        public String toString() { return ADDRESS; }
    }

    @Override public void setPort(int port) {}
    @Override public void setTCP(boolean tcp) {}
    @Override public void setIgnoreTruncation(boolean ignore) {}
    @Override public void setEDNS(int level) {}
    @Override public void setEDNS(int level, int payloadSize, int flags, List options) {}
    @Override public void setTSIGKey(TSIG key) {}
    @Override public void setTimeout(int secs, int msecs) {}
    @Override public void setTimeout(int secs) {}
}
