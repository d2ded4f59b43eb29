package org.skerry.federation.link;

import org.skerry.federation.queue.PeerLink;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.skerry.federation.link.LinkStatus.Direction;
import org.skerry.federation.link.LinkStatus.State;
import org.skerry.server.stream.StreamWriter;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Namespaces;
import org.skerry.server.xmpp.StanzaError;
import org.skerry.server.xmpp.StreamError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Our stream to one peer for one of our domains: authenticates with SASL EXTERNAL when our certificate proves our
 * domain and the peer offers it, else with dialback (XEP-0220) when allowed; enables stream management (XEP-0198)
 * when the peer offers it; then writes stanzas in order, and takes the peer's stanzas back when it offered XEP-0288
 * ({@link OutboundBidi}). A batch counts as delivered when the peer acknowledges it ({@link OutboundAcks}), or,
 * without stream management, once written. Stanzas sent while it connects wait in a bounded backlog; if the link
 * fails they fail with the reason.
 */
final class OutboundLink extends OutboundStream implements PeerLink {
    private static final Logger log = LoggerFactory.getLogger(OutboundLink.class);

    private record Pending(List<Element> stanzas, CompletableFuture<Void> done) {}

    private final ArrayDeque<Pending> backlog = new ArrayDeque<>();
    private int backlogStanzas;
    private volatile State state = State.CONNECTING;
    private volatile Instant since;
    private volatile String authMethod;
    private volatile String lastError;
    private final AtomicLong stanzasOut = new AtomicLong();
    private long lastStanzaNanos = System.nanoTime();
    private boolean saslTried;
    private boolean streamManagementOffered;
    private boolean enablingStreamManagement;
    /** Null while a successful write counts as the peer's acknowledgement. */
    private volatile OutboundAcks acks;
    private LinkFailure failure;
    private ScheduledFuture<?> idleCheck;
    private final OutboundBidi bidi;

    OutboundLink(FederationLinks links, String localDomain, String remoteDomain) {
        super(links, localDomain, remoteDomain);
        this.since = links.server().clock().instant();
        // What the peer sends back over the link keeps it from going idle just as what we send does.
        bidi = new OutboundBidi(links, localDomain, remoteDomain, this::refuse, this::streamManagement,
                () -> lastStanzaNanos = System.nanoTime());
    }

    private void enter(State next) {
        if (state != next) {
            state = next;
            since = links.server().clock().instant();
        }
    }

    @Override
    public boolean isReady() { return state == State.READY; }

    @Override
    public CompletableFuture<Void> send(List<Element> stanzas) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            loop.execute(() -> enqueue(new Pending(List.copyOf(stanzas), done)));
        } catch (RejectedExecutionException shuttingDown) {
            done.completeExceptionally(new LinkFailure(StanzaError.REMOTE_SERVER_TIMEOUT, "federation is stopping"));
        }
        return done;
    }

    private void enqueue(Pending pending) {
        if (failure != null || state == State.CLOSED) {
            pending.done().completeExceptionally(failure != null ? failure
                    : new LinkFailure(StanzaError.REMOTE_SERVER_TIMEOUT, "the link to " + remoteDomain + " closed"));
        } else if (state == State.READY) {
            write(pending);
        } else if (backlogStanzas + pending.stanzas().size() > links.settings().maxBacklog()) {
            pending.done().completeExceptionally(new LinkFailure(StanzaError.RESOURCE_CONSTRAINT,
                    "too many stanzas waiting for " + remoteDomain));
        } else {
            backlog.add(pending);
            backlogStanzas += pending.stanzas().size();
        }
    }

    private void write(Pending pending) {
        lastStanzaNanos = System.nanoTime();
        List<Element> stanzas = pending.stanzas();
        for (int i = 0; i < stanzas.size(); i++) {
            boolean last = i == stanzas.size() - 1;
            var written = channel.write(StanzaNamespaces.toServer(stanzas.get(i)));
            stanzasOut.incrementAndGet();
            links.stanzaCounters().sent(stanzas.get(i));
            if (last && acks == null) { // with stream management the peer's <a/> completes it
                written.addListener(f -> {
                    if (f.isSuccess()) {
                        pending.done().complete(null);
                    } else {
                        pending.done().completeExceptionally(new LinkFailure(StanzaError.REMOTE_SERVER_TIMEOUT,
                                "writing to " + remoteDomain + " failed: " + f.cause()));
                    }
                });
            }
        }
        if (stanzas.isEmpty()) {
            pending.done().complete(null);
        } else if (acks != null) {
            acks.sent(stanzas.size(), pending.done());
            channel.write(SmElements.request()); // one <r/> per batch
        }
        channel.flush();
    }

    // ---------------------------------------------------------------- authentication

    @Override
    protected void securedFeatures(Element features) {
        if (state == State.CONNECTING) {
            enter(State.NEGOTIATING);
        }
        streamManagementOffered = features.child("sm", Namespaces.SM) != null;
        if (!links.settings().dialback()) {
            String why = links.certificates().whyNotValidFor(peerCertificates, remoteDomain);
            if (why != null) {
                fail(new LinkFailure(StanzaError.REMOTE_SERVER_NOT_FOUND, remoteDomain + ": " + why
                        + " (federation.auth = \"strict\")"));
                return;
            }
        }
        if (authMethod == null) {
            bidi.requestIfOffered(channel, features); // XEP-0288 §2.2: before SASL or dialback
        }
        if ("SASL EXTERNAL".equals(authMethod)) {
            authenticated(); // the features after the SASL restart
        } else if (!saslTried && offersExternal(features)
                && links.certificates().isValidFor(links.tls().certificateChain(), localDomain)) {
            saslTried = true;
            Element auth = new Element("auth", Namespaces.SASL).attr("mechanism", "EXTERNAL");
            auth.addText(Base64.getEncoder().encodeToString(localDomain.getBytes(StandardCharsets.UTF_8)));
            channel.writeAndFlush(auth);
        } else {
            dialbackOrFail(features.child("dialback", S2sXml.DIALBACK_FEATURE) != null);
        }
    }

    private static boolean offersExternal(Element features) {
        Element mechanisms = features.child("mechanisms", Namespaces.SASL);
        if (mechanisms == null) {
            return false;
        }
        for (Element mechanism : mechanisms.elements()) {
            if ("EXTERNAL".equals(mechanism.text().trim())) {
                return true;
            }
        }
        return false;
    }

    private void dialbackOrFail(boolean offered) {
        if (!links.settings().dialback()) {
            fail(new LinkFailure(StanzaError.REMOTE_SERVER_NOT_FOUND, "cannot authenticate to " + remoteDomain
                    + ": our certificate is not valid for " + localDomain + " or the peer does not offer SASL EXTERNAL,"
                    + " and federation.auth is \"strict\""));
        } else if (!offered) {
            fail(new LinkFailure(StanzaError.REMOTE_SERVER_NOT_FOUND, remoteDomain + " offers neither SASL EXTERNAL"
                    + " for our certificate nor dialback"));
        } else {
            String key = links.dialbackKeys().generate(remoteDomain, localDomain, peerStreamId);
            channel.writeAndFlush(S2sXml.dialback("result", localDomain, remoteDomain, null, null, key));
        }
    }

    @Override
    protected void securedElement(Element element) {
        if (bidi.handles(element)) {
            return;
        }
        if (SmElements.isStreamManagement(element)) {
            streamManagement(element);
        } else if (element.is("success", Namespaces.SASL)) {
            authMethod = "SASL EXTERNAL";
            restart();
        } else if (element.is("failure", Namespaces.SASL)) {
            log.debug("{} refused SASL EXTERNAL for {}; trying dialback", remoteDomain, localDomain);
            dialbackOrFail(true);
        } else if (S2sXml.isDialback(element, "result") && remoteDomain.equals(element.attr("from"))
                && localDomain.equals(element.attr("to"))) {
            if ("valid".equals(element.attr("type"))) {
                authMethod = "dialback";
                authenticated();
            } else {
                fail(new LinkFailure(StanzaError.REMOTE_SERVER_NOT_FOUND, remoteDomain + " refused our dialback key ("
                        + element.attr("type") + ")"));
            }
        }
        // Anything else (stanzas on a one-way link, unknown extensions) is not ours to act on.
    }

    /** XEP-0198 §3: stream management is enabled after authentication, before the first stanza. */
    private void authenticated() {
        bidi.authenticated(); // the peer may send as soon as it authenticated us, before stream management is on
        if (streamManagementOffered) {
            enablingStreamManagement = true;
            channel.writeAndFlush(SmElements.enable());
        } else {
            ready();
        }
    }

    private void streamManagement(Element element) {
        if (enablingStreamManagement && (element.name().equals("enabled") || element.name().equals("failed"))) {
            enablingStreamManagement = false;
            if (element.name().equals("enabled")) {
                acks = new OutboundAcks();
                bidi.streamManagementEnabled();
            } else {
                log.debug("{} refused stream management: {}", remoteDomain, element);
            }
            ready();
        } else if (acks != null && !bidi.answers(element)) {
            try {
                acks.element(element, channel);
            } catch (StreamError e) {
                channel.write(StreamWriter.error(e));
                fail(new LinkFailure(StanzaError.REMOTE_SERVER_TIMEOUT, remoteDomain + ": " + e.getMessage()));
            }
        }
    }

    private void ready() {
        established();
        enter(State.READY);
        log.info("Link {} -> {} ready ({}, {}{})", localDomain, remoteDomain, authMethod, tlsVersion,
                acks != null ? ", stream management" : "");
        while (!backlog.isEmpty()) {
            write(backlog.poll());
        }
        backlogStanzas = 0;
        long period = links.settings().idleTimeout().toMillis() / 4 + 1;
        idleCheck = loop.scheduleAtFixedRate(this::closeIfIdle, period, period, TimeUnit.MILLISECONDS);
    }

    private void closeIfIdle() {
        if (System.nanoTime() - lastStanzaNanos >= links.settings().idleTimeout().toNanos()) {
            log.debug("Closing the idle link {} -> {}", localDomain, remoteDomain);
            closeStream();
        }
    }

    /** Closes the link (federation stops). */
    void shutdown() { loop.execute(this::closeStream); }

    /**
     * Ends the link with a stream error (RFC 6120 §4.9), e.g. policy-violation when the admin blocked the peer;
     * what waits in the backlog fails with not-allowed.
     */
    void closeWith(StreamError error) {
        loop.execute(() -> {
            if (isFinished()) {
                return;
            }
            // From the secured stream's features on, our header is out: an error may follow it.
            if (state == State.NEGOTIATING || state == State.READY) {
                channel.write(StreamWriter.error(error));
            }
            fail(new LinkFailure(StanzaError.NOT_ALLOWED, "closed with the stream error "
                    + error.condition().elementName() + (error.text() == null ? "" : " (" + error.text() + ")")));
        });
    }

    // ---------------------------------------------------------------- end of life

    @Override
    protected void failed(LinkFailure cause) {
        failure = cause;
        lastError = cause.getMessage();
        enter(State.FAILED);
        log.info("Link {} -> {} failed: {}", localDomain, remoteDomain, cause.getMessage());
        end(cause);
    }

    @Override
    protected void closed() {
        if (state != State.READY) {
            failed(new LinkFailure(StanzaError.REMOTE_SERVER_NOT_FOUND, remoteDomain
                    + " closed the connection before authentication"));
            return;
        }
        enter(State.CLOSED);
        end(new LinkFailure(StanzaError.REMOTE_SERVER_TIMEOUT, "the link to " + remoteDomain + " closed"));
    }

    private void end(LinkFailure cause) {
        if (idleCheck != null) {
            idleCheck.cancel(false);
        }
        bidi.ended();
        List<Pending> waiting = new ArrayList<>(backlog);
        backlog.clear();
        backlogStanzas = 0;
        for (Pending pending : waiting) {
            pending.done().completeExceptionally(cause);
        }
        if (acks != null) {
            acks.failAll(cause);
        }
        links.forget(this);
    }

    /** The peer broke the rules on its way back to us (XEP-0288): a stream error ends the link. */
    private void refuse(StreamError error) {
        channel.write(StreamWriter.error(error));
        fail(new LinkFailure(StanzaError.REMOTE_SERVER_TIMEOUT, "we ended the link to " + remoteDomain + " with "
                + error.getMessage()));
    }

    LinkStatus status() {
        Direction direction = bidi.isRequested() && authMethod != null ? Direction.BIDIRECTIONAL : Direction.OUTBOUND;
        return new LinkStatus(localDomain, remoteDomain, direction, state, since, authMethod, tlsVersion, acks != null,
                bidi.stanzasIn(), stanzasOut.get(), lastError);
    }
}
