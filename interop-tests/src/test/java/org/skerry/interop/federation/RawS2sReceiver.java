package org.skerry.interop.federation;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.UUID;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.skerry.interop.federation.vysper.SelfSignedKeyStore;
import org.skerry.server.xml.Element;
import org.skerry.server.xml.XmlLimits;
import org.skerry.server.xml.XmlStreamParser;
import org.skerry.server.xmpp.Namespaces;

/**
 * A hand-driven receiving server for a node's outbound links: it listens on loopback for the node (which finds it
 * through federation.hosts), STARTTLS with a self-signed certificate, offers dialback and stream management, takes
 * any dialback key as valid and answers {@code <enable/>} with {@code <enabled/>}. From then on the test reads what
 * the node sends and decides what to answer, e.g. withholds the {@code <a/>} a well-behaved peer would send.
 * One connection at a time: {@link #accept()} takes the next.
 */
final class RawS2sReceiver implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final String domain;
    private final ServerSocket listener;
    private final SSLContext tls;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private XmlStreamParser parser;
    private final Deque<Element> elements = new ArrayDeque<>();
    private final byte[] buffer = new byte[16384];
    private boolean headerReceived;
    private boolean ended;

    RawS2sReceiver(String domain) throws Exception {
        this.domain = domain;
        this.listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        SelfSignedKeyStore keys = SelfSignedKeyStore.forDomain(domain);
        KeyStore store = KeyStore.getInstance("JKS");
        store.load(new ByteArrayInputStream(keys.jks()), keys.password().toCharArray());
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, keys.password().toCharArray());
        tls = SSLContext.getInstance("TLS");
        tls.init(factory.getKeyManagers(), null, null);
    }

    String domain() { return domain; }

    /** The federation.hosts entry that sends the node's traffic for this domain here. */
    String hostsSetting() { return "federation.hosts." + domain + "=127.0.0.1:" + listener.getLocalPort(); }

    /**
     * Waits for the node's next connection and plays the receiving server up to {@code <enabled/>}: then the node
     * may send stanzas. Any earlier connection is dropped.
     */
    void accept() throws Exception {
        accept(true);
    }

    /** Like {@link #accept()}, but answers {@code <enable/>} with {@code <failed/>}, as a peer may. */
    void acceptRefusingStreamManagement() throws Exception {
        accept(false);
    }

    private void accept(boolean enableStreamManagement) throws Exception {
        acceptUntilSecuredFeatures("");
        validate(expect("result", "jabber:server:dialback"), enableStreamManagement);
    }

    /**
     * Like {@link #accept()}, but offers XEP-0288 too and stops at the node's dialback key, which it returns, so that
     * the test decides what comes next ({@link #validate}). The node must ask for bidi before it authenticates.
     */
    Element acceptOfferingBidi() throws Exception {
        acceptUntilSecuredFeatures("<bidi xmlns='urn:xmpp:features:bidi'/>");
        expect("bidi", "urn:xmpp:bidi");
        return expect("result", "jabber:server:dialback");
    }

    /** Declares the node's dialback {@code key} valid and answers its {@code <enable/>}. */
    void validate(Element key, boolean enableStreamManagement) throws Exception {
        send("<db:result from='" + domain + "' to='" + key.attr("from") + "' type='valid'/>");
        expect("enable", Namespaces.SM);
        send(enableStreamManagement ? "<enabled xmlns='" + Namespaces.SM + "'/>" : "<failed xmlns='" + Namespaces.SM
                + "'><unexpected-request xmlns='" + Namespaces.STANZAS_ERROR + "'/></failed>");
    }

    /** Plays the receiving server up to its features on the secured stream: dialback, stream management and more. */
    private void acceptUntilSecuredFeatures(String moreFeatures) throws Exception {
        closeConnection();
        listener.setSoTimeout((int) TIMEOUT.toMillis());
        use(listener.accept());
        ended = false;
        awaitHeader();
        sendHeaderAndFeatures("<starttls xmlns='" + Namespaces.TLS + "'><required/></starttls>");
        expect("starttls", Namespaces.TLS);
        send("<proceed xmlns='" + Namespaces.TLS + "'/>");
        SSLSocket secured = (SSLSocket) tls.getSocketFactory().createSocket(socket, null, socket.getPort(), true);
        secured.setUseClientMode(false);
        secured.startHandshake();
        use(secured);
        awaitHeader();
        sendHeaderAndFeatures("<dialback xmlns='urn:xmpp:features:dialback'><errors/></dialback>"
                + "<sm xmlns='" + Namespaces.SM + "'/>" + moreFeatures);
    }

    void send(String xml) throws IOException {
        out.write(xml.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The next element the node sent, failing if the stream ends or nothing comes in time. */
    Element next() throws IOException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (elements.isEmpty()) {
            if (ended) {
                throw new AssertionError("the node ended the stream");
            }
            readSome(deadline);
        }
        return elements.poll();
    }

    /** Reads until the node closes the connection; returns its stream error, or null if none came. */
    Element awaitStreamErrorAndClose() throws IOException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!ended) {
            readSome(deadline);
        }
        return elements.stream().filter(e -> e.is("error", Namespaces.STREAM)).findFirst().orElse(null);
    }

    /** Drops the connection without a word, as a crashing peer would. */
    void closeConnection() throws IOException {
        if (socket != null) {
            socket.close();
            socket = null;
        }
        elements.clear();
    }

    private Element expect(String name, String namespace) throws IOException {
        Element element = next();
        if (!element.is(name, namespace)) {
            throw new AssertionError("expected " + name + ", got " + element);
        }
        return element;
    }

    private void awaitHeader() throws IOException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!headerReceived) {
            if (ended) {
                throw new AssertionError("the node closed before its stream header");
            }
            readSome(deadline);
        }
    }

    private void sendHeaderAndFeatures(String features) throws IOException {
        send("<?xml version='1.0'?><stream:stream xmlns='jabber:server' xmlns:stream='" + Namespaces.STREAM
                + "' xmlns:db='jabber:server:dialback' id='" + UUID.randomUUID() + "' from='" + domain
                + "' version='1.0'><stream:features>" + features + "</stream:features>");
    }

    /** A new socket, or the same one after TLS: a new XML document starts. */
    private void use(Socket s) throws IOException {
        socket = s;
        in = s.getInputStream();
        out = s.getOutputStream();
        headerReceived = false;
        parser = new XmlStreamParser(XmlLimits.defaults(), new XmlStreamParser.Listener() {
            @Override public void streamOpened(Element header) { headerReceived = true; }
            @Override public void element(Element stanza) { elements.add(stanza); }
            @Override public void streamClosed() { ended = true; }
        });
    }

    private void readSome(long deadline) throws IOException {
        if (!RawReads.readSome(socket, in, buffer, parser, deadline)) {
            ended = true;
        }
    }

    @Override
    public void close() throws IOException {
        closeConnection();
        listener.close();
    }
}
