package org.skerry.console.web;

/**
 * One area of the console (dashboard, users, federation, ...): its operations and pages. Features are listed in
 * {@code ConsoleModule}; each is one class in its own package with its templates.
 */
public interface ConsoleFeature {
    void register(ConsoleRoutes routes);

    /** The navigation entry: label and path under /admin, or null for a feature without a page of its own. */
    default NavEntry nav() { return null; }

    record NavEntry(String label, String path, int order) {}
}
