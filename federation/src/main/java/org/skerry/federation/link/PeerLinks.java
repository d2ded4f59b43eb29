package org.skerry.federation.link;

/** Outbound links by domain pair; a link is opened on first use and forgotten once it closes. */
public interface PeerLinks {
    /** The link that carries stanzas from the served {@code localDomain} to {@code remoteDomain}. */
    PeerLink linkFor(String localDomain, String remoteDomain);
}
