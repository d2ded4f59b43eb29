package org.skerry.server.im;

import org.skerry.server.module.Implements;
import org.skerry.server.module.Module;
import org.skerry.server.module.ModuleContext;
import org.skerry.server.xmpp.Stanzas;

/** XEP-0199: the server answers pings; pinging silent clients is part of the client stream's idle handling. */
@Implements(spec = "XEP-0199", version = "2.0.1")
public final class PingModule implements Module {
    static final String NS = "urn:xmpp:ping";

    @Override
    public void start(ModuleContext context) {
        context.advertise(NS);
        context.onIq(NS, iq -> context.server().router().reply(iq, Stanzas.iqResult(iq.stanza())));
    }
}
