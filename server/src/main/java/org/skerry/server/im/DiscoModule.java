package org.skerry.server.im;

import org.skerry.server.ServerContext;
import org.skerry.server.ServerFeatures;
import org.skerry.server.module.EventType;
import org.skerry.server.module.Implements;
import org.skerry.server.module.Module;
import org.skerry.server.module.ModuleContext;
import org.skerry.server.routing.StanzaEvent;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.StanzaError;
import org.skerry.server.xmpp.Stanzas;

/**
 * XEP-0030 for the server and for accounts. The feature list is what the modules advertised when they started,
 * never a hand-kept list. Other modules answer for their own nodes through {@link #NODE_INFO} and {@link #NODE_ITEMS}.
 */
@Implements(spec = "XEP-0030", version = "2.5rc3")
public final class DiscoModule implements Module {
    public static final String INFO = "http://jabber.org/protocol/disco#info";
    public static final String ITEMS = "http://jabber.org/protocol/disco#items";

    /** A disco request for a node; a handler that knows the node fills {@code result}'s query and returns true. */
    public record NodeRequest(StanzaEvent request, String node, Element query) {}

    public static final EventType<NodeRequest> NODE_INFO = new EventType<>("disco/node-info");
    public static final EventType<NodeRequest> NODE_ITEMS = new EventType<>("disco/node-items");

    private ServerContext server;

    @Override
    public void start(ModuleContext context) {
        server = context.server();
        context.advertise(INFO);
        context.advertise(ITEMS);
        context.identity("server", "im", "Skerry");
        context.onIq(INFO, e -> answer(e, true, true));
        context.onIq(ITEMS, e -> answer(e, true, false));
        context.onAccountIq(INFO, e -> answer(e, false, true));
        context.onAccountIq(ITEMS, e -> answer(e, false, false));
    }

    private void answer(StanzaEvent event, boolean host, boolean info) {
        Element iq = event.stanza();
        if (!"get".equals(iq.attr("type"))) {
            server.router().bounce(iq, StanzaError.NOT_ALLOWED);
            return;
        }
        String node = iq.firstElement().attr("node");
        Element result = Stanzas.iqResult(iq);
        Element query = result.addChild("query", info ? INFO : ITEMS);
        if (node != null) {
            query.attr("node", node);
            if (!server.events().fire(info ? NODE_INFO : NODE_ITEMS, new NodeRequest(event, node, query))) {
                server.router().bounce(iq, StanzaError.ITEM_NOT_FOUND);
                return;
            }
        } else if (host && info) {
            for (ServerFeatures.Identity identity : server.features().identities()) {
                query.addChild("identity").attr("category", identity.category()).attr("type", identity.type())
                        .attr("name", identity.name());
            }
            for (String feature : server.features().features()) {
                query.addChild("feature").attr("var", feature);
            }
        } else if (!host && info) {
            query.addChild("identity").attr("category", "account").attr("type", "registered");
            query.addChild("feature").attr("var", INFO);
            query.addChild("feature").attr("var", ITEMS);
            boolean self = event.origin() != null && event.origin().bare().equals(event.to());
            if (!self && server.sessions().sessions(event.to()).isEmpty()) {
                // A stranger asks about an account with no session: answer only if it exists (XEP-0030 §3.1).
                server.storage().run(event.to(), () -> server.accounts().exists(event.to())).whenComplete((exists, f) -> {
                    if (Boolean.TRUE.equals(exists)) {
                        server.router().reply(event, result);
                    } else {
                        server.router().bounce(iq, StanzaError.SERVICE_UNAVAILABLE);
                    }
                });
                return;
            }
        }
        server.router().reply(event, result);
    }
}
