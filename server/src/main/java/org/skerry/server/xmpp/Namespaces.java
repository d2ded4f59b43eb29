package org.skerry.server.xmpp;

/** Namespace URIs used across the core. Modules keep their own feature namespaces. */
public final class Namespaces {
    private Namespaces() {}

    public static final String STREAM = "http://etherx.jabber.org/streams";
    public static final String CLIENT = "jabber:client";
    public static final String SERVER = "jabber:server";
    public static final String STREAMS_ERROR = "urn:ietf:params:xml:ns:xmpp-streams";
    public static final String STANZAS_ERROR = "urn:ietf:params:xml:ns:xmpp-stanzas";
    public static final String TLS = "urn:ietf:params:xml:ns:xmpp-tls";
    public static final String SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
    public static final String BIND = "urn:ietf:params:xml:ns:xmpp-bind";
    public static final String SESSION = "urn:ietf:params:xml:ns:xmpp-session";
    public static final String SM = "urn:xmpp:sm:3";
    public static final String CHANNEL_BINDING = "urn:xmpp:sasl-cb:0";
    public static final String DELAY = "urn:xmpp:delay";
    public static final String XML = "http://www.w3.org/XML/1998/namespace";
}
