package org.skerry.server.stream;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.skerry.server.ServerContext;
import org.skerry.server.session.ClientSession;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Namespaces;
import org.skerry.server.xmpp.StanzaError;
import org.skerry.server.xmpp.StreamError;
import org.skerry.server.xmpp.StreamError.Condition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * XEP-0198 on one client stream: {@code <enable/>}, acknowledgements, {@code <resume/>} of an earlier session,
 * and hibernation of a session whose connection dropped. The counters and the unacknowledged queue live in the
 * {@link ClientSession}, because they outlive the stream.
 */
final class StreamManagementNegotiation {
    private static final Logger log = LoggerFactory.getLogger(StreamManagementNegotiation.class);

    private final ServerContext server;
    private final C2sSettings settings;
    private final ClientStream stream;
    /** The resumption time agreed on this stream; the configured default until a client asks for another. */
    private Duration resumptionTime;

    StreamManagementNegotiation(ServerContext server, C2sSettings settings, ClientStream stream) {
        this.server = server;
        this.settings = settings;
        this.stream = stream;
        this.resumptionTime = settings.resumptionTimeout();
    }

    /** A nonza in the XEP-0198 namespace on a bound stream. */
    void handle(ClientSession session, Element element) {
        switch (element.name()) {
            case "enable" -> enable(session, element);
            case "r" -> stream.write(new Element("a", Namespaces.SM).attr("h", Long.toString(session.inboundHandled())));
            case "a" -> {
                long h;
                try {
                    h = Long.parseLong(element.attr("h"));
                } catch (NumberFormatException | NullPointerException e) {
                    throw new StreamError(Condition.UNDEFINED_CONDITION, "Bad h attribute");
                }
                if (!session.acknowledge(h)) {
                    throw new StreamError(Condition.UNDEFINED_CONDITION, "You acknowledged stanzas never sent");
                }
                stream.acknowledgementReceived(session.unackedCount() > 0);
            }
            default -> stream.write(failed(StanzaError.FEATURE_NOT_IMPLEMENTED, null));
        }
    }

    private void enable(ClientSession session, Element element) {
        if (!settings.streamManagement() || session.streamManagementEnabled()) {
            stream.write(failed(StanzaError.UNEXPECTED_REQUEST, "Stream management is off or already on"));
            return;
        }
        boolean resume = "true".equals(element.attr("resume")) || "1".equals(element.attr("resume"));
        String id = resume ? Ids.random() + Ids.random() : null;
        Element enabled = new Element("enabled", Namespaces.SM);
        if (resume) {
            String asked = element.attr("max");
            if (asked != null) {
                try {
                    Duration wanted = Duration.ofSeconds(Math.max(1, Long.parseLong(asked)));
                    resumptionTime = wanted.compareTo(settings.maxResumptionTimeout()) < 0 ? wanted
                            : settings.maxResumptionTimeout();
                } catch (NumberFormatException ignored) {
                    // keep the default
                }
            }
            // 'max' is in whole seconds on the wire; a sub-second setting still waits its real time.
            enabled.attr("id", id).attr("resume", "true")
                    .attr("max", Long.toString(Math.max(1, resumptionTime.toSeconds())));
        }
        session.enableStreamManagement(id, settings.maxUnacked(), resume ? resumptionTime : null);
        if (resume) {
            server.sessions().registerResumable(session);
        }
        stream.write(enabled);
    }

    /** XEP-0198 §5: this (authenticated, unbound) stream takes over a hibernating or not yet noticed dead session. */
    void resume(Element request, String username, String domain) {
        String previd = request.attr("previd");
        ClientSession session = previd == null ? null : server.sessions().byResumptionId(previd);
        if (session == null || session.isClosed() || !username.equals(session.jid().local())
                || !domain.equals(session.jid().domain())) {
            stream.write(failed(StanzaError.ITEM_NOT_FOUND, "No session to resume"));
            return;
        }
        long h;
        try {
            h = Long.parseLong(request.attr("h"));
        } catch (NumberFormatException | NullPointerException e) {
            stream.write(failed(StanzaError.BAD_REQUEST, "Bad h attribute"));
            return;
        }
        Element resumed = new Element("resumed", Namespaces.SM).attr("previd", previd);
        if (!session.resume(stream, h, resumed)) {
            stream.write(failed(StanzaError.ITEM_NOT_FOUND, "The session ended meanwhile, or h counts stanzas never sent"));
            return;
        }
        stream.resumed(session);
    }

    /**
     * The connection under a resumable session dropped: keep the session for the agreed time. Returns false if
     * it is not resumable, and the caller ends it.
     */
    boolean hibernate(ClientSession lost) {
        Duration wait = lost.resumptionTime(); // agreed when it was enabled, whichever stream it is on now
        if (!lost.streamManagementEnabled() || lost.resumptionId() == null || wait == null || lost.isClosed()) {
            return false;
        }
        ScheduledFuture<?> timer = server.scheduler().schedule(() -> {
            if (lost.isHibernating()) {
                SessionEnd.end(server, lost);
            }
        }, wait.toMillis(), TimeUnit.MILLISECONDS);
        if (!lost.hibernate(stream, timer)) {
            return true; // it moved to another stream (a resumption) or ended meanwhile: nothing to do here
        }
        log.debug("{} hibernates for {} awaiting resumption", lost.jid(), wait);
        return true;
    }

    static Element failed(StanzaError condition, String text) {
        Element failed = new Element("failed", Namespaces.SM);
        failed.addChild(condition.elementName(), Namespaces.STANZAS_ERROR);
        if (text != null) {
            failed.addChild("text", Namespaces.SM).addText(text);
        }
        return failed;
    }
}
