package org.skerry.server.session;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.skerry.server.xmpp.Jid;

/** The bound resources of every local account, by bare JID and resource. */
public final class SessionRegistry {
    private final Map<Jid, Map<String, ClientSession>> byAccount = new ConcurrentHashMap<>();
    private final Map<String, ClientSession> byResumptionId = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();

    /**
     * Registers a session; returns the session it displaced on the same full JID (RFC 6120 §7.7.2.2: the new
     * session wins), or null.
     */
    public ClientSession bind(ClientSession session) {
        // Put inside compute: an unbind of the account's last other resource may drop its map at the same time,
        // and a session put into a dropped map would be bound yet unreachable.
        ClientSession[] displaced = new ClientSession[1];
        byAccount.compute(session.bare(), (k, resources) -> {
            Map<String, ClientSession> map = resources == null ? new ConcurrentHashMap<>() : resources;
            displaced[0] = map.put(session.jid().resource(), session);
            return map;
        });
        ClientSession previous = displaced[0];
        if (previous == null) {
            count.incrementAndGet();
        } else if (previous.resumptionId() != null) {
            byResumptionId.remove(previous.resumptionId(), previous);
        }
        return previous;
    }

    /** Removes the session if it is still the one bound to its full JID; returns whether it was. */
    public boolean unbind(ClientSession session) {
        if (session.resumptionId() != null) {
            byResumptionId.remove(session.resumptionId(), session);
        }
        boolean[] removed = {false};
        byAccount.computeIfPresent(session.bare(), (k, resources) -> {
            removed[0] = resources.remove(session.jid().resource(), session);
            return resources.isEmpty() ? null : resources;
        });
        if (removed[0]) {
            count.decrementAndGet();
        }
        return removed[0];
    }

    public void registerResumable(ClientSession session) { byResumptionId.put(session.resumptionId(), session); }

    public ClientSession byResumptionId(String id) { return byResumptionId.get(id); }

    public ClientSession session(Jid fullJid) {
        Map<String, ClientSession> resources = byAccount.get(fullJid.bare());
        return resources == null || fullJid.resource() == null ? null : resources.get(fullJid.resource());
    }

    /** All bound resources of an account. */
    public Collection<ClientSession> sessions(Jid bare) {
        Map<String, ClientSession> resources = byAccount.get(bare.bare());
        return resources == null ? List.of() : new ArrayList<>(resources.values());
    }

    /** Resources that sent available presence. */
    public List<ClientSession> available(Jid bare) {
        List<ClientSession> out = new ArrayList<>();
        for (ClientSession s : sessions(bare)) {
            if (s.isAvailable()) {
                out.add(s);
            }
        }
        return out;
    }

    public int count() { return count.get(); }

    public int accountCount() { return byAccount.size(); }

    /** Every bound session on a domain (admin commands count them). */
    public List<ClientSession> all(String domain) {
        List<ClientSession> out = new ArrayList<>();
        for (Map.Entry<Jid, Map<String, ClientSession>> e : byAccount.entrySet()) {
            if (domain == null || e.getKey().domain().equals(domain)) {
                out.addAll(e.getValue().values());
            }
        }
        return out;
    }
}
