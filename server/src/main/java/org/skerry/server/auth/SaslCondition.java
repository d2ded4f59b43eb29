package org.skerry.server.auth;

import java.util.Locale;

/** The RFC 6120 §6.5 SASL failure conditions, sent as a child of {@code <failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>}. */
public enum SaslCondition {
    ABORTED, ACCOUNT_DISABLED, CREDENTIALS_EXPIRED, ENCRYPTION_REQUIRED, INCORRECT_ENCODING, INVALID_AUTHZID,
    INVALID_MECHANISM, MALFORMED_REQUEST, MECHANISM_TOO_WEAK, NOT_AUTHORIZED, TEMPORARY_AUTH_FAILURE;

    /** The element name, e.g. {@code not-authorized}. */
    public String elementName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
