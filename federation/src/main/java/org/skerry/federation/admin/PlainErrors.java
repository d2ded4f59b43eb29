package org.skerry.federation.admin;

import java.util.regex.Pattern;

/**
 * Link and queue failures as an admin reads them: without Java class names and the queue's bookkeeping prefixes,
 * which say how the failure reached the queue rather than what went wrong.
 */
final class PlainErrors {
    private PlainErrors() {}

    /** "io.netty.channel.ConnectTimeoutException: " and the like, with or without a package. */
    private static final Pattern EXCEPTION_NAME =
            Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.)*[A-Z][A-Za-z0-9_]*(?:\\$[A-Za-z0-9_]+)*(?:Exception|Error)\\b:?\\s*");

    /** The plain text of {@code error}; null stays null. */
    static String of(String error) {
        if (error == null) {
            return null;
        }
        String plain = error;
        for (String bookkeeping : new String[] {"not acknowledged: ", "no link: "}) {
            if (plain.startsWith(bookkeeping)) {
                plain = plain.substring(bookkeeping.length());
            }
        }
        if (plain.equals("TimeoutException")) {
            return "the peer did not acknowledge in time";
        }
        plain = EXCEPTION_NAME.matcher(plain).replaceAll("").strip();
        return plain.isEmpty() ? error : plain;
    }
}
