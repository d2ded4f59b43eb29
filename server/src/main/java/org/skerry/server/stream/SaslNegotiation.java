package org.skerry.server.stream;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.skerry.server.ServerContext;
import org.skerry.server.auth.ChannelBinding;
import org.skerry.server.auth.LoginThrottle;
import org.skerry.server.auth.SaslBase64;
import org.skerry.server.auth.SaslCondition;
import org.skerry.server.auth.SaslConnection;
import org.skerry.server.auth.SaslFailure;
import org.skerry.server.auth.SaslMechanisms;
import org.skerry.server.auth.SaslServer;
import org.skerry.server.auth.Step;
import org.skerry.server.metrics.AuthFailureCounter;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Jid;
import org.skerry.server.xmpp.Namespaces;

/**
 * The SASL part of a client stream (RFC 6120 §6). Credential look-ups hit storage, so each step is evaluated on
 * the worker pool and its outcome is written back on the channel's event loop.
 */
final class SaslNegotiation {
    private final ServerContext server;
    private final C2sSettings settings;
    private final ClientStream stream;
    private final LoginThrottle throttle;
    private final SaslMechanisms mechanisms;
    private final AuthFailureCounter failures;
    private SaslServer exchange;
    /** The offered mechanism the client chose, for the failure counter; null before, or if it chose none we offer. */
    private String mechanism;
    private String claimedAccount;
    private boolean busy;
    private String domain;

    SaslNegotiation(ServerContext server, C2sSettings settings, ClientStream stream, Authenticators authenticators) {
        this.server = server;
        this.settings = settings;
        this.stream = stream;
        this.throttle = authenticators.throttle();
        this.mechanisms = authenticators.mechanisms();
        this.failures = authenticators.failures();
    }

    /**
     * Whether a password may cross this stream: under TLS, or in the clear where the admin has accepted that
     * (c2s.allow_plain_without_tls, for benchmarks). Channel bindings still exist only under TLS.
     */
    private boolean confidential(boolean secure) {
        return secure || settings.allowPlainWithoutTls();
    }

    void advertise(Element features, boolean secure, List<ChannelBinding> bindings) {
        Element mechanisms = features.addChild("mechanisms", Namespaces.SASL);
        for (String name : SaslMechanisms.offered(confidential(secure), settings.allowPlain(), bindings)) {
            mechanisms.addChild("mechanism").addText(name);
        }
        if (!bindings.isEmpty()) {
            Element cb = features.addChild("sasl-channel-binding", Namespaces.CHANNEL_BINDING);
            for (String type : SaslMechanisms.channelBindingTypes(bindings)) {
                cb.addChild("channel-binding").attr("type", type);
            }
        }
    }

    void handle(Element element, boolean secure, List<ChannelBinding> bindings, String streamDomain, String ip) {
        this.domain = streamDomain;
        if (busy) {
            fail(SaslCondition.MALFORMED_REQUEST, "Wait for the server's answer", ip);
            return;
        }
        switch (element.name()) {
            case "auth" -> {
                String mechanism = element.attr("mechanism");
                if (mechanism == null || !SaslMechanisms.offered(confidential(secure), settings.allowPlain(), bindings).contains(mechanism)) {
                    this.mechanism = null;
                    fail(SaslCondition.INVALID_MECHANISM, null, ip);
                    return;
                }
                this.mechanism = mechanism;
                byte[] initial;
                try {
                    initial = SaslBase64.decodeInitialResponse(element.text());
                } catch (SaslFailure e) {
                    fail(e.condition(), null, ip);
                    return;
                }
                claimedAccount = SaslUsernames.peek(mechanism, initial);
                if (!throttle.allowed(ip, accountKey(domain))) {
                    exchange = null;
                    sendFailure(SaslCondition.TEMPORARY_AUTH_FAILURE, "Too many failed logins; try again later");
                    return;
                }
                try {
                    exchange = mechanisms.create(mechanism, new SaslConnection(domain, confidential(secure), settings.allowPlain(), bindings),
                            server.accounts().credentialLookup(domain));
                } catch (SaslFailure f) {
                    fail(f.condition(), null, ip);
                    return;
                }
                evaluate(initial, domain, ip);
            }
            case "response" -> {
                if (exchange == null) {
                    fail(SaslCondition.MALFORMED_REQUEST, "No authentication in progress", ip);
                    return;
                }
                byte[] data;
                try {
                    data = SaslBase64.decodeResponse(element.text());
                } catch (SaslFailure e) {
                    fail(e.condition(), null, ip);
                    return;
                }
                evaluate(data, domain, ip);
            }
            case "abort" -> {
                exchange = null;
                sendFailure(SaslCondition.ABORTED, null);
            }
            default -> fail(SaslCondition.MALFORMED_REQUEST, "Unknown SASL element", ip);
        }
    }

    private void evaluate(byte[] response, String domain, String ip) {
        SaslServer current = exchange;
        busy = true;
        CompletableFuture<Step> step = server.storage().run(this, () -> current.evaluate(response));
        step.whenComplete((result, error) -> stream.channel().eventLoop().execute(() -> {
            busy = false;
            if (exchange != current) {
                return; // aborted meanwhile
            }
            if (error != null) {
                Throwable cause = error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
                exchange = null;
                if (cause instanceof SaslFailure failure) {
                    fail(failure.condition(), null, ip);
                } else if (cause instanceof java.util.concurrent.RejectedExecutionException) {
                    sendFailure(SaslCondition.TEMPORARY_AUTH_FAILURE, "The server is busy");
                } else {
                    sendFailure(SaslCondition.TEMPORARY_AUTH_FAILURE, null);
                }
                return;
            }
            if (result instanceof Step.Challenge challenge) {
                Element out = new Element("challenge", Namespaces.SASL);
                out.addText(SaslBase64.encode(challenge.data()));
                stream.write(out);
            } else if (result instanceof Step.Success success) {
                exchange = null;
                if (server.accounts().isLocked(Jid.of(success.authenticatedUsername(), domain))) {
                    // RFC 6120 §6.5.1; said only once the credentials proved right, so it tells a guesser nothing.
                    sendFailure(SaslCondition.ACCOUNT_DISABLED, "This account is locked by the server's administrator");
                    return;
                }
                throttle.recordSuccess(ip, domain + "/" + success.authenticatedUsername());
                Element out = new Element("success", Namespaces.SASL);
                if (success.additionalData() != null) {
                    out.addText(SaslBase64.encode(success.additionalData()));
                }
                stream.write(out);
                stream.authenticated(success.authenticatedUsername());
            }
        }));
    }

    private String accountKey(String domain) {
        return claimedAccount == null ? null : domain + "/" + claimedAccount;
    }

    private void fail(SaslCondition condition, String text, String ip) {
        if (condition == SaslCondition.NOT_AUTHORIZED) {
            throttle.recordFailure(ip, claimedAccount == null ? null : domain + "/" + claimedAccount);
        }
        exchange = null;
        sendFailure(condition, text);
    }

    private void sendFailure(SaslCondition condition, String text) {
        failures.failed(mechanism, condition.elementName());
        Element failure = new Element("failure", Namespaces.SASL);
        failure.addChild(condition.elementName());
        if (text != null) {
            failure.addChild("text").attr("xml:lang", "en").addText(text);
        }
        stream.write(failure);
    }
}
