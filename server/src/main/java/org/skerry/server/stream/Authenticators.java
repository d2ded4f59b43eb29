package org.skerry.server.stream;

import org.skerry.server.auth.LoginThrottle;
import org.skerry.server.auth.SaslMechanisms;

/** The node-wide SASL pieces every client stream shares: the mechanism factory and the failed-login throttle. */
public record Authenticators(SaslMechanisms mechanisms, LoginThrottle throttle) {}
