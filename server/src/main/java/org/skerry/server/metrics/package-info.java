/**
 * The node's own meters (Micrometer), recorded into {@link org.skerry.server.ServerContext#meters()}: stanza
 * counters for c2s and s2s, sessions, failed logins. The console exports them at {@code /metrics}.
 */
package org.skerry.server.metrics;
