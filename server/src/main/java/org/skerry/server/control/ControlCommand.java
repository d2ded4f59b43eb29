package org.skerry.server.control;

import java.util.List;

/**
 * One family of control-socket commands, chosen by the request's first word ({@code user}, {@code federation}).
 * The core serves {@code user}; a module adds its own through {@code ModuleContext.onControlCommand}.
 */
@FunctionalInterface
public interface ControlCommand {
    /**
     * Runs one request and returns the text to show the admin.
     *
     * @param words    the command words, the family's word first
     * @param password the password line, for the commands that take one, else null
     * @throws IllegalArgumentException for bad input (the CLI exits with 2)
     * @throws IllegalStateException for a refused or failed operation (the CLI exits with 1)
     */
    String run(List<String> words, String password);
}
