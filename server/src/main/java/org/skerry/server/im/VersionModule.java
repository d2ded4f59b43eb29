package org.skerry.server.im;

import org.skerry.server.module.Implements;
import org.skerry.server.module.Module;
import org.skerry.server.module.ModuleContext;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.StanzaError;
import org.skerry.server.xmpp.Stanzas;

/** XEP-0092: software name and version. The operating system is not disclosed (§5 security considerations). */
@Implements(spec = "XEP-0092", version = "1.1")
public final class VersionModule implements Module {
    static final String NS = "jabber:iq:version";

    @Override
    public void start(ModuleContext context) {
        context.advertise(NS);
        context.onIq(NS, event -> {
            if (!"get".equals(event.stanza().attr("type"))) {
                context.server().router().bounce(event.stanza(), StanzaError.BAD_REQUEST);
                return;
            }
            Element result = Stanzas.iqResult(event.stanza());
            Element query = result.addChild("query", NS);
            query.addChild("name").addText("Skerry");
            query.addChild("version").addText(context.server().version());
            context.server().router().reply(event, result);
        });
    }
}
