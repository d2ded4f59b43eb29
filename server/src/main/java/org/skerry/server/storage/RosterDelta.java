package org.skerry.server.storage;

import java.util.List;

/**
 * What changed in a roster after a version a client already has (XEP-0237 §4.3): the server sends
 * these as roster pushes instead of the whole roster.
 *
 * @param version the roster's current version
 * @param changed items added or modified after the client's version
 * @param removed bare JIDs of contacts removed after the client's version (pushed as {@code subscription='remove'})
 */
public record RosterDelta(long version, List<RosterItem> changed, List<String> removed) {
    public RosterDelta {
        changed = List.copyOf(changed);
        removed = List.copyOf(removed);
    }
}
