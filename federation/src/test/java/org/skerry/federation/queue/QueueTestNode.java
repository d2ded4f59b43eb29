package org.skerry.federation.queue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.skerry.server.Node;
import org.skerry.server.config.ConfigException;
import org.skerry.server.config.SkerryConfig;
import org.skerry.server.routing.Events;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Jid;

/**
 * A real node (real H2 file, real router and storage executor) without listeners, as the queue's host. Every
 * stanza the router delivers to a local full JID is recorded, which is where bounces arrive.
 */
final class QueueTestNode implements AutoCloseable {
    static final String DOMAIN = "skerry.test";

    private final Node node;
    private final List<Element> deliveredToLocalResources = new CopyOnWriteArrayList<>();

    private QueueTestNode(Node node) {
        this.node = node;
        for (var type : List.of(Events.MESSAGE_FULL, Events.IQ_FULL, Events.PRESENCE_FULL)) {
            node.events().on(type, 100, event -> {
                deliveredToLocalResources.add(event.stanza());
                return true; // consumed here: the test is the only client
            });
        }
    }

    static Path newDataDir() {
        try {
            return Files.createTempDirectory("skerry-fedqueue");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static QueueTestNode start(Path dataDir) {
        List<String> sets = new ArrayList<>();
        sets.add("domains=[\"" + DOMAIN + "\"]");
        sets.add("admins=[]");
        sets.add("data_dir=\"" + dataDir + "\"");
        sets.add("c2s.port=0");
        sets.add("c2s.direct_tls_port=0");
        sets.add("federation.enabled=false");
        sets.add("http.bind=\"127.0.0.1:0\"");
        try {
            return new QueueTestNode(Node.start(SkerryConfig.load(null, sets, Map.of())));
        } catch (ConfigException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    Node node() { return node; }

    /** Stanzas the router handed to a local resource, in order; bounces to local senders land here. */
    List<Element> deliveredToLocalResources() { return List.copyOf(deliveredToLocalResources); }

    Jid createUser(String local) {
        Jid jid = Jid.of(local, DOMAIN);
        if (!node.accounts().create(jid, "secret-" + local)) {
            throw new IllegalStateException(jid + " exists");
        }
        return jid;
    }

    @Override
    public void close() { node.close(); }
}
