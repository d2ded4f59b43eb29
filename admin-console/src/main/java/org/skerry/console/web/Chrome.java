package org.skerry.console.web;

import java.util.List;

/**
 * What every console page's layout shows around its content: the page title, who is signed in, the CSRF token its
 * forms carry, the navigation, and a one-time message from the previous action.
 */
public record Chrome(String title, String admin, String csrfToken, List<ConsoleFeature.NavEntry> nav, String activePath,
                     String flash, boolean flashIsError, String domain) {

    public boolean isActive(ConsoleFeature.NavEntry entry) {
        return entry.path().equals("/") ? activePath.equals("/") : activePath.startsWith(entry.path());
    }
}
