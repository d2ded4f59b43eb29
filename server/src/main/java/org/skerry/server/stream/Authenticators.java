package org.skerry.server.stream;

import org.skerry.server.auth.LoginThrottle;
import org.skerry.server.auth.SaslMechanisms;
import org.skerry.server.metrics.AuthFailureCounter;

/**
 * The node-wide SASL pieces every client stream shares: the mechanism factory, the failed-login throttle and the
 * failed-login counter.
 */
public record Authenticators(SaslMechanisms mechanisms, LoginThrottle throttle, AuthFailureCounter failures) {}
