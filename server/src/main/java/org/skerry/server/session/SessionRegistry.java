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
        Map<String, ClientSession> resources = byAccount.computeIfAbsent(session.bare(), k -> new ConcurrentHashMap<>());
        ClientSession previous = resources.put(session.jid().resource(), session);
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
        Map<String, ClientSession> resources = byAccount.get(session.bare());
        if (resources == null) {
            return false;
        }
        boolean removed = resources.remove(session.jid().resource(), session);
        if (removed) {
            count.decrementAndGet();
            byAccount.computeIfPresent(session.bare(), (k, v) -> v.isEmpty() ? null : v);
        }
        return removed;
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
