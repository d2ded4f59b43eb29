package org.skerry.interop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.Locale;
import javax.net.ssl.SSLSocket;
import org.skerry.server.auth.ScramClient;
import org.skerry.server.xml.Element;
import org.skerry.server.xml.XmlLimits;
import org.skerry.server.xml.XmlStreamParser;
import org.skerry.server.xmpp.Namespaces;
import org.skerry.server.xmpp.StreamError;

/**
 * A raw XMPP client over a plain {@link Socket} for protocol-level and hostile-input tests: it sends whatever
 * bytes a test gives it and reads the node's answers with the project's own {@link XmlStreamParser}, while also
 * keeping the raw bytes so that a test can check exactly what went over the wire. STARTTLS and direct TLS trust
 * only the node's certificate. One thread reads (the test); another may write at the same time.
 */
public final class RawXmppClient implements AutoCloseable {
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Generous: the node is the party under test, not this client. */
    private static final XmlLimits CLIENT_LIMITS = new XmlLimits(64 << 20, 64, 256);

    private final TestNode node;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final XmlStreamParser parser;
    private final Deque<Element> elements = new ArrayDeque<>();
    private final ByteArrayOutputStream receivedSinceLastSend = new ByteArrayOutputStream();
    private final byte[] readBuffer = new byte[16384];
    private int headersReceived;
    private boolean closeTagReceived;
    private boolean endOfInput;
    private String jid;

    private RawXmppClient(TestNode node, Socket socket) throws IOException {
        this.node = node;
        this.parser = new XmlStreamParser(CLIENT_LIMITS, new XmlStreamParser.Listener() {
            @Override public void streamOpened(Element header) { headersReceived++; }
            @Override public void element(Element stanza) { elements.add(stanza); }
            @Override public void streamClosed() { closeTagReceived = true; }
        });
        use(socket);
    }

    /** A TCP connection to the node's STARTTLS port from 127.0.0.1. */
    public static RawXmppClient connect(TestNode node) {
        return connectFrom(node, "127.0.0.1", 0);
    }

    /**
     * A TCP connection to the node's STARTTLS port from {@code localAddress} (any 127.0.0.0/8 address works on
     * Linux, so a test can play a second client machine). {@code receiveBuffer} &gt; 0 shrinks the socket's
     * receive buffer, as a slow reader's would be.
     */
    public static RawXmppClient connectFrom(TestNode node, String localAddress, int receiveBuffer) {
        try {
            Socket socket = new Socket();
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer); // before connect, so the TCP window is small from the start
            }
            socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), node.port()), 10_000);
            return new RawXmppClient(node, socket);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A connection to the node's direct TLS port (XEP-0368), handshaken before any XMPP byte. */
    public static RawXmppClient connectDirectTls(TestNode node) {
        try {
            Socket plain = new Socket(InetAddress.getLoopbackAddress(), node.directTlsPort());
            return new RawXmppClient(node, handshake(node, plain));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- sending

    /** Sends text as UTF-8. */
    public void send(String xml) {
        sendBytes(xml.getBytes(StandardCharsets.UTF_8));
    }

    public void sendBytes(byte[] bytes) {
        synchronized (receivedSinceLastSend) {
            receivedSinceLastSend.reset();
        }
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new IllegalStateException("send failed: " + e, e);
        }
    }

    /**
     * The socket's output, for a thread that writes while the test reads (e.g. a stanza the node will cut off).
     * Unlike {@link #send}, writes through it keep what was received so far in the transcript.
     */
    public OutputStream output() {
        return out;
    }

    /** The stream header for the node's domain; the node answers with its header and features. */
    public static String streamHeader() {
        return "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'"
                + " to='" + TestNode.DOMAIN + "' version='1.0'>";
    }

    // ---------------------------------------------------------------- negotiation

    /** Opens a (new) stream and returns the node's {@code <stream:features/>}. */
    public Element openStream() {
        int before = headersReceived;
        send(streamHeader());
        long deadline = deadline(TIMEOUT);
        while (headersReceived == before) {
            readSome(deadline);
        }
        Element features = nextElement();
        if (!features.is("features", Namespaces.STREAM)) {
            throw new AssertionError("expected stream features, got " + features);
        }
        return features;
    }

    /** STARTTLS (RFC 6120 §5): {@code <proceed/>}, TLS handshake trusting only the node, stream restart. */
    public Element startTls() {
        return startTls(Duration.ZERO);
    }

    /** STARTTLS with a pause between {@code <proceed/>} and the ClientHello, as from a client short of CPU. */
    public Element startTls(Duration pauseBeforeHandshake) {
        send("<starttls xmlns='" + Namespaces.TLS + "'/>");
        Element proceed = nextElement();
        if (!proceed.is("proceed", Namespaces.TLS)) {
            throw new AssertionError("expected <proceed/>, got " + proceed);
        }
        try {
            Thread.sleep(pauseBeforeHandshake.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        try {
            use(handshake(node, socket));
        } catch (IOException e) {
            throw new IllegalStateException("TLS handshake failed: " + e, e);
        }
        return openStream();
    }

    /** Runs a SCRAM exchange; the outcome holds the node's last element and whether its "v=" checked out. */
    public SaslOutcome authenticate(ScramClient scram) {
        send("<auth xmlns='" + Namespaces.SASL + "' mechanism='" + scram.mechanism() + "'>"
                + base64(scram.clientFirstMessage()) + "</auth>");
        Element answer = nextElement();
        if (!answer.is("challenge", Namespaces.SASL)) {
            return outcome(answer, false);
        }
        send("<response xmlns='" + Namespaces.SASL + "'>"
                + base64(scram.clientFinalMessage(Base64.getDecoder().decode(answer.text()))) + "</response>");
        Element result = nextElement();
        boolean verified = result.is("success", Namespaces.SASL)
                && scram.serverFinalIsValid(Base64.getDecoder().decode(result.text()));
        return outcome(result, verified);
    }

    /** SASL PLAIN with an empty authzid. */
    public SaslOutcome authenticatePlain(String user, String password) {
        String message = "\0" + user + "\0" + password;
        send("<auth xmlns='" + Namespaces.SASL + "' mechanism='PLAIN'>"
                + base64(message.getBytes(StandardCharsets.UTF_8)) + "</auth>");
        return outcome(nextElement(), false);
    }

    private SaslOutcome outcome(Element result, boolean serverSignatureVerified) {
        if (result.is("success", Namespaces.SASL)) {
            parser.reset(); // the node's next bytes start a new XML document (RFC 6120 §6.4.6)
        }
        return new SaslOutcome(result, serverSignatureVerified);
    }

    /** After SASL success: restarts the stream and binds {@code resource}; returns the full JID the node bound. */
    public String bind(String resource) {
        Element features = openStream();
        if (features.child("bind", Namespaces.BIND) == null) {
            throw new AssertionError("no resource binding offered after authentication: " + features);
        }
        send("<iq type='set' id='bind-1'><bind xmlns='" + Namespaces.BIND + "'><resource>" + resource
                + "</resource></bind></iq>");
        Element result = nextElement();
        Element bind = result.child("bind", Namespaces.BIND);
        if (!"result".equals(result.attr("type")) || bind == null) {
            throw new AssertionError("bind failed: " + result);
        }
        jid = bind.childText("jid");
        return jid;
    }

    /** STARTTLS, SCRAM-SHA-256 and bind: a logged-in session, as a real client would have. */
    public String login(String user, String password, String resource) {
        openStream();
        startTls();
        SaslOutcome outcome = authenticate(new ScramClient("SCRAM-SHA-256", user, password));
        if (!outcome.succeeded()) {
            throw new AssertionError("login of " + user + " failed: " + outcome.result());
        }
        return bind(resource);
    }

    /** The full JID bound by {@link #bind}, or null. */
    public String jid() { return jid; }

    // ---------------------------------------------------------------- reading

    /** The next first-level element from the node; fails if the stream ends first or nothing comes in time. */
    public Element nextElement() {
        return nextElement(TIMEOUT);
    }

    public Element nextElement(Duration timeout) {
        long deadline = deadline(timeout);
        while (elements.isEmpty()) {
            if (closeTagReceived || endOfInput) {
                throw new AssertionError("the stream ended; received since the last send: " + receivedText());
            }
            readSome(deadline);
        }
        return elements.poll();
    }

    /**
     * Reads until the node closes the connection and reports how the stream ended. A TCP reset or a broken TLS
     * record after the last byte counts as closed too, but {@link StreamEnd#cleanEof()} tells them apart.
     */
    public StreamEnd awaitEnd(Duration timeout) {
        long deadline = deadline(timeout);
        String abort = null;
        try {
            while (!endOfInput) {
                readSome(deadline);
            }
        } catch (StreamError e) {
            abort = "unparseable answer from the node: " + e.condition();
        } catch (IllegalStateException e) {
            abort = e.getCause() != null ? e.getCause().toString() : e.toString();
        }
        Element error = elements.stream().filter(e -> e.is("error", Namespaces.STREAM)).findFirst().orElse(null);
        return new StreamEnd(receivedText(), error, closeTagReceived, abort == null, abort);
    }

    private void readSome(long deadline) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw new AssertionError("timed out waiting for the node; received since the last send: " + receivedText());
        }
        int count;
        try {
            socket.setSoTimeout((int) Math.max(1, remaining / 1_000_000));
            count = in.read(readBuffer);
        } catch (SocketTimeoutException e) {
            return; // the loop re-checks the deadline
        } catch (IOException e) {
            endOfInput = true;
            throw new IllegalStateException("connection broke: " + e, e);
        }
        if (count < 0) {
            endOfInput = true;
            return;
        }
        synchronized (receivedSinceLastSend) {
            receivedSinceLastSend.write(readBuffer, 0, count);
        }
        parser.feed(readBuffer, 0, count);
    }

    private String receivedText() {
        synchronized (receivedSinceLastSend) {
            return receivedSinceLastSend.toString(StandardCharsets.UTF_8);
        }
    }

    // ---------------------------------------------------------------- TLS

    /** The TLS session (after STARTTLS or on a direct TLS connection). */
    public javax.net.ssl.SSLSession tlsSession() {
        return ((SSLSocket) socket).getSession();
    }

    /**
     * RFC 5929 tls-server-end-point: the hash of the server certificate's DER, with the hash of its signature
     * algorithm (SHA-256 for MD5 and SHA-1).
     */
    public byte[] tlsServerEndPoint() {
        try {
            X509Certificate certificate = (X509Certificate) tlsSession().getPeerCertificates()[0];
            String signature = certificate.getSigAlgName().toUpperCase(Locale.ROOT);
            String hash = signature.startsWith("SHA384") ? "SHA-384" : signature.startsWith("SHA512") ? "SHA-512" : "SHA-256";
            return MessageDigest.getInstance(hash).digest(certificate.getEncoded());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static SSLSocket handshake(TestNode node, Socket plain) throws IOException {
        SSLSocket tls = (SSLSocket) node.clientSslContext().getSocketFactory()
                .createSocket(plain, TestNode.DOMAIN, plain.getPort(), true);
        tls.setUseClientMode(true);
        tls.startHandshake();
        return tls;
    }

    private void use(Socket newSocket) throws IOException {
        socket = newSocket;
        in = newSocket.getInputStream();
        out = newSocket.getOutputStream();
        parser.reset(); // the node restarts its stream after TLS: a new XML document follows
    }

    private static long deadline(Duration timeout) {
        return System.nanoTime() + timeout.toNanos();
    }

    private static String base64(byte[] bytes) {
        return bytes.length == 0 ? "=" : Base64.getEncoder().encodeToString(bytes);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is best effort: the node may have closed first
        }
    }

    // ---------------------------------------------------------------- results

    /** The last SASL element from the node; {@code serverSignatureVerified} is the check of SCRAM's "v=". */
    public record SaslOutcome(Element result, boolean serverSignatureVerified) {
        public boolean succeeded() { return result.is("success", Namespaces.SASL); }

        /** The condition of a {@code <failure/>}, e.g. "not-authorized"; null on success. */
        public String failureCondition() {
            if (!result.is("failure", Namespaces.SASL)) {
                return null;
            }
            return result.elements().stream().map(Element::name).filter(name -> !name.equals("text")).findFirst().orElse(null);
        }
    }

    /**
     * How a stream ended: the raw text the node sent since the client's last send, its {@code <stream:error/>}
     * if any, whether {@code </stream:stream>} came, and whether the connection then ended with a clean EOF
     * (FIN, or TLS close_notify) rather than a reset or a broken TLS record ({@code abort} says which).
     */
    public record StreamEnd(String raw, Element error, boolean closeTagReceived, boolean cleanEof, String abort) {
        /** The stream error's defined condition, e.g. "restricted-xml", or null. */
        public String condition() {
            if (error == null) {
                return null;
            }
            return error.elements().stream().filter(e -> Namespaces.STREAMS_ERROR.equals(e.namespace()))
                    .map(Element::name).filter(name -> !name.equals("text")).findFirst().orElse(null);
        }

        /** Whether the raw bytes put the closing tag after the error, as the last thing sent. */
        public boolean closeTagEndsTheStream() {
            int error = raw.lastIndexOf("<stream:error>");
            return raw.stripTrailing().endsWith("</stream:stream>") && error >= 0 && error < raw.lastIndexOf("</stream:stream>");
        }
    }
}
