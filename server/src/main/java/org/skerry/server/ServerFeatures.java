package org.skerry.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** What the server advertises in disco#info, collected from the modules as they start. */
public final class ServerFeatures {
    /** A XEP-0030 identity. */
    public record Identity(String category, String type, String name) {}

    private final Set<String> features = new TreeSet<>();
    private final List<Identity> identities = new ArrayList<>();

    public synchronized void add(String feature) { features.add(feature); }

    public synchronized void add(Identity identity) { identities.add(identity); }

    public synchronized List<String> features() { return new ArrayList<>(features); }

    public synchronized List<Identity> identities() { return new ArrayList<>(identities); }
}
