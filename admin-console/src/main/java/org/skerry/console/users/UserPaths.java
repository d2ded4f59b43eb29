package org.skerry.console.users;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Console addresses of accounts and list pages, percent-encoded for links and redirects. */
public final class UserPaths {
    private UserPaths() {}

    /** The account's page: the JID as one path segment. */
    public static String user(String jid) {
        // URLEncoder is for forms: its '+' for a space means '+' in a path, so spaces become %20; '@' stays readable.
        return "/admin/users/" + encode(jid).replace("+", "%20").replace("%40", "@");
    }

    /** One page of a search. */
    public static String list(String domain, String query, int page) {
        return "/admin/users?domain=" + encode(domain) + "&q=" + encode(query) + "&page=" + page;
    }

    private static String encode(String text) { return URLEncoder.encode(text, StandardCharsets.UTF_8); }
}
