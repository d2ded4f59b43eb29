package org.skerry.server.im;

import java.util.List;
import org.skerry.server.ServerContext;
import org.skerry.server.module.Implements;
import org.skerry.server.module.Module;
import org.skerry.server.module.ModuleContext;
import org.skerry.server.routing.StanzaEvent;
import org.skerry.server.xml.Element;
import org.skerry.server.xml.ElementParser;
import org.skerry.server.xmpp.Jid;
import org.skerry.server.xmpp.StanzaError;
import org.skerry.server.xmpp.Stanzas;

/** XEP-0049: private XML storage, one element per namespace, readable only by the account itself. */
@Implements(spec = "XEP-0049", version = "1.2")
public final class PrivateStorageModule implements Module {
    static final String NS = "jabber:iq:private";
    private static final int MAX_BYTES = 64 * 1024;

    private ServerContext server;

    @Override
    public void start(ModuleContext context) {
        server = context.server();
        context.advertise(NS);
        context.onAccountIq(NS, this::handle);
    }

    private void handle(StanzaEvent event) {
        Element iq = event.stanza();
        if (event.origin() == null || !event.origin().bare().equals(event.to())) {
            server.router().bounce(iq, StanzaError.FORBIDDEN, "Private storage belongs to its account only");
            return;
        }
        List<Element> payload = iq.firstElement().elements();
        boolean get = "get".equals(iq.attr("type"));
        if (payload.isEmpty() || get && payload.size() != 1) {
            server.router().bounce(iq, StanzaError.BAD_REQUEST, "Name exactly one element to get, at least one to set");
            return;
        }
        for (Element e : payload) {
            // XEP-0049 §3: the jabber:* namespaces are reserved for the protocol itself.
            if (e.namespace().isEmpty() || e.namespace().startsWith("jabber:") || e.namespace().equals(NS)) {
                server.router().bounce(iq, StanzaError.NOT_ACCEPTABLE, "That namespace cannot be stored");
                return;
            }
        }
        Jid user = event.to();
        server.storage().run(user, () -> {
            Element result = Stanzas.iqResult(iq).attr("from", null);
            if (get) {
                Element wanted = payload.get(0);
                Element query = result.addChild("query", NS);
                Element stored = server.storage().privateXml().get(user.domain(), user.local(), wanted.namespace())
                        .map(ElementParser::parse).orElse(null);
                query.add(stored != null ? stored : new Element(wanted.name(), wanted.namespace()));
            } else {
                for (Element e : payload) {
                    String xml = e.toXml();
                    if (xml.length() > MAX_BYTES) {
                        server.router().bounce(iq, StanzaError.NOT_ACCEPTABLE, "Too large to store");
                        return null;
                    }
                }
                for (Element e : payload) {
                    server.storage().privateXml().put(user.domain(), user.local(), e.namespace(), e.toXml());
                }
            }
            event.origin().deliver(result);
            return null;
        }).exceptionally(f -> {
            server.router().bounce(iq, StanzaError.INTERNAL_SERVER_ERROR);
            return null;
        });
    }
}
