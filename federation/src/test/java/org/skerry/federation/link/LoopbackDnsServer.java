package org.skerry.federation.link;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.minidns.dnsmessage.DnsMessage;
import org.minidns.dnsmessage.DnsMessage.RESPONSE_CODE;
import org.minidns.dnsmessage.Question;
import org.minidns.record.A;
import org.minidns.record.AAAA;
import org.minidns.record.Data;
import org.minidns.record.Record;
import org.minidns.record.SRV;

/**
 * A tiny authoritative DNS server on 127.0.0.1 and a free UDP port, so that the resolver is tested against real
 * DNS messages on a real socket without ever asking a real DNS server. Names it has no records for are NXDOMAIN;
 * when {@link #silent} it reads queries and never answers, and it never answers for names under a domain given to
 * {@link #silentFor}.
 */
public final class LoopbackDnsServer implements AutoCloseable {
    private final DatagramSocket socket;
    private final Map<Question, List<Record<? extends Data>>> records = new ConcurrentHashMap<>();
    private final List<Question> asked = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean silent;
    private final List<String> silentDomains = new CopyOnWriteArrayList<>();

    public LoopbackDnsServer() throws SocketException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        thread = new Thread(this::serve, "loopback-dns");
        thread.setDaemon(true);
        thread.start();
    }

    public InetSocketAddress address() { return (InetSocketAddress) socket.getLocalSocketAddress(); }

    /** The questions received so far, answered or not. */
    public List<Question> asked() { return List.copyOf(asked); }

    public void beSilent() { silent = true; }

    /** Never answers for {@code domain} and the names under it (its SRV names), like a zone whose servers are down. */
    public LoopbackDnsServer silentFor(String domain) {
        silentDomains.add(domain);
        return this;
    }

    private boolean answers(Question question) {
        String name = question.name.ace;
        return !silent && silentDomains.stream().noneMatch(d -> name.equals(d) || name.endsWith("." + d));
    }

    public LoopbackDnsServer srv(String name, int priority, int weight, int port, String target) {
        return add(name, Record.TYPE.SRV, new SRV(priority, weight, port, target));
    }

    public LoopbackDnsServer a(String name, String ipv4) throws IOException {
        return add(name, Record.TYPE.A, new A(InetAddress.getByName(ipv4).getAddress()));
    }

    public LoopbackDnsServer aaaa(String name, String ipv6) throws IOException {
        return add(name, Record.TYPE.AAAA, new AAAA(InetAddress.getByName(ipv6).getAddress()));
    }

    private LoopbackDnsServer add(String name, Record.TYPE type, Data data) {
        records.computeIfAbsent(new Question(name, type), q -> new CopyOnWriteArrayList<>())
                .add(new Record<>(name, type, Record.CLASS.IN, 60, data, false));
        return this;
    }

    private void serve() {
        byte[] buffer = new byte[4096];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                DnsMessage query = new DnsMessage(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                Question question = query.getQuestion();
                asked.add(question);
                if (answers(question)) {
                    socket.send(answer(query, question).asDatagram(packet.getAddress(), packet.getPort()));
                }
            } catch (IOException closedOrGarbage) {
                // closed: the loop ends; an unreadable datagram: a real server drops it too
            }
        }
    }

    /** NXDOMAIN unless some record exists under the name; NOERROR without answers when only other types exist. */
    private DnsMessage answer(DnsMessage query, Question question) {
        boolean nameExists = records.keySet().stream().anyMatch(q -> q.name.equals(question.name));
        DnsMessage.Builder response = query.getResponseBuilder(
                nameExists ? RESPONSE_CODE.NO_ERROR : RESPONSE_CODE.NX_DOMAIN);
        response.setAuthoritativeAnswer(true);
        response.addAnswers(new ArrayList<>(records.getOrDefault(question, List.of())));
        return response.build();
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        thread.join(2000);
    }
}
