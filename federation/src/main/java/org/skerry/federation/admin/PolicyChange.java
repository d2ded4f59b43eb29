package org.skerry.federation.admin;

/**
 * The result of a block or an unblock.
 *
 * @param domain  the normalised peer domain
 * @param changed false when the domain already stood as asked
 * @param summary one sentence for the admin
 */
public record PolicyChange(String domain, boolean changed, String summary) {}
