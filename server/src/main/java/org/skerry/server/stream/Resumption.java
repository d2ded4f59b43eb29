package org.skerry.server.stream;

import org.skerry.server.ServerContext;
import org.skerry.server.session.ClientSession;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Namespaces;
import org.skerry.server.xmpp.StanzaError;

/** XEP-0198 §5: a new stream takes over a hibernating (or not yet noticed dead) session. */
final class Resumption {
    private Resumption() {}

    static void resume(ServerContext server, ClientStream stream, Element request, String username, String domain) {
        String previd = request.attr("previd");
        ClientSession session = previd == null ? null : server.sessions().byResumptionId(previd);
        if (session == null || session.isClosed() || !username.equals(session.jid().local())
                || !domain.equals(session.jid().domain())) {
            stream.write(ClientStream.smFailed(StanzaError.ITEM_NOT_FOUND, "No session to resume"));
            return;
        }
        long h;
        try {
            h = Long.parseLong(request.attr("h"));
        } catch (NumberFormatException | NullPointerException e) {
            stream.write(ClientStream.smFailed(StanzaError.BAD_REQUEST, "Bad h attribute"));
            return;
        }
        Element resumed = new Element("resumed", Namespaces.SM).attr("previd", previd);
        stream.resumed(session);
        session.resume(stream, h, resumed);
    }
}
