package org.skerry.server.auth;

import java.util.Objects;

/**
 * A SASL exchange failed. The stream layer sends {@link #condition()} in a {@code <failure/>} element; the
 * message is for the server log only and must not be sent to the client, because it may say more than the
 * condition does (for example that a user does not exist).
 */
public final class SaslFailure extends Exception {
    private static final long serialVersionUID = 1L;

    private final SaslCondition condition;

    public SaslFailure(SaslCondition condition, String logMessage) {
        super(condition.elementName() + ": " + logMessage, null, false, false);
        this.condition = Objects.requireNonNull(condition);
    }

    public SaslCondition condition() {
        return condition;
    }
}
