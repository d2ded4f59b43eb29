package org.skerry.server.config;

import java.net.IDN;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsers for the value syntaxes that TOML itself does not have: durations, byte sizes, domain names,
 * bind addresses and {@code host:port}. Each method either returns the parsed value or throws
 * {@link IllegalArgumentException} whose message is a reason fit to show to an admin.
 *
 * <p>None of these ever touches the network: an address is checked by its shape only, so that loading a
 * configuration can never hang on a DNS look-up.
 */
final class ValueSyntax {

    private static final Pattern DURATION_PART = Pattern.compile("(\\d{1,18})(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,18})\\s*(B|KiB|MiB|GiB)?");
    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");
    private static final int MAX_DOMAIN_LENGTH = 253;
    private static final int MAX_LABEL_LENGTH = 63;

    private ValueSyntax() {
    }

    /**
     * Parses a duration such as {@code "500ms"}, {@code "30s"}, {@code "5m"}, {@code "72h"}, {@code "7d"} or a
     * sum of those ({@code "1h30m"}). A bare number is refused on purpose: "30" could mean seconds or
     * milliseconds, and guessing wrong by a factor of 1000 is worse than asking.
     */
    static Duration duration(String text) {
        String hint = "invalid duration \"" + text + "\": expected a number with a unit ms, s, m, h or d, e.g. \"30s\"";
        if (text.isEmpty()) {
            throw new IllegalArgumentException(hint);
        }
        Matcher part = DURATION_PART.matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        try {
            while (end < text.length()) {
                if (!part.find(end) || part.start() != end) {
                    throw new IllegalArgumentException(hint);
                }
                long amount = Long.parseLong(part.group(1));
                total = total.plus(switch (part.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    case "d" -> Duration.ofDays(amount);
                    default -> throw new IllegalStateException(part.group(2));
                });
                end = part.end();
            }
        } catch (ArithmeticException tooLarge) {
            throw new IllegalArgumentException("duration \"" + text + "\" is too large");
        }
        return total;
    }

    /**
     * Parses a byte size written as {@code "256KiB"}, {@code "4MiB"}, {@code "1GiB"}, {@code "512B"} or a plain
     * number of bytes. Decimal units (KB, MB) are refused rather than guessed, because admins mean both 1000
     * and 1024 by them.
     */
    static long size(String text) {
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid size \"" + text
                    + "\": expected a number of bytes or a number with a unit B, KiB, MiB or GiB, e.g. \"256KiB\"");
        }
        long multiplier = switch (m.group(2) == null ? "B" : m.group(2)) {
            case "KiB" -> 1L << 10;
            case "MiB" -> 1L << 20;
            case "GiB" -> 1L << 30;
            default -> 1L;
        };
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), multiplier);
        } catch (ArithmeticException tooLarge) {
            throw new IllegalArgumentException("size \"" + text + "\" is too large");
        }
    }

    /**
     * Checks that {@code name} is a DNS domain name (letters, digits and hyphens per label, or an
     * internationalised name that IDNA accepts) and returns it lower-cased, the form in which XMPP compares
     * domains. IP literals and names with a trailing dot are refused: a served domain is a name.
     */
    static String domain(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        String reason = "\"" + name + "\" is not a valid domain name";
        if (lower.isEmpty() || lower.endsWith(".") || lower.startsWith(".") || lower.contains("..")) {
            throw new IllegalArgumentException(reason);
        }
        String ascii;
        try {
            ascii = IDN.toASCII(lower, IDN.USE_STD3_ASCII_RULES);
        } catch (IllegalArgumentException notIdna) {
            throw new IllegalArgumentException(reason);
        }
        if (ascii.isEmpty() || ascii.length() > MAX_DOMAIN_LENGTH) {
            throw new IllegalArgumentException(reason + " (longer than 253 characters)");
        }
        String[] labels = ascii.split("\\.", -1);
        for (String label : labels) {
            if (label.isEmpty() || label.length() > MAX_LABEL_LENGTH) {
                throw new IllegalArgumentException(reason + " (each label must be 1 to 63 characters)");
            }
        }
        // RFC 3696 section 2: a top-level domain is never all-numeric; this also refuses IPv4 literals.
        if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException(reason + " (it looks like an IP address)");
        }
        return lower;
    }

    /** True if {@code text} is an IPv4 literal, an IPv6 literal (without brackets) or {@code localhost}. */
    static boolean isBindAddress(String text) {
        return text.equals("localhost") || IPV4.matcher(text).matches() || isIpv6Literal(text);
    }

    static boolean isIpv6Literal(String text) {
        if (!text.contains(":") || !IPV6_CHARS.matcher(text).matches()) {
            return false;
        }
        try {
            // The brackets make the JDK treat the text strictly as a literal: it throws on a malformed
            // literal instead of falling back to a DNS look-up.
            java.net.InetAddress.getByName("[" + text + "]");
            return true;
        } catch (java.net.UnknownHostException malformed) {
            return false;
        }
    }

    /**
     * Parses {@code host:port}, with an IPv6 host in brackets ({@code [::1]:5280}). The host must be a bind
     * address (IP literal or localhost) or, when {@code namesAllowed}, also a domain name.
     */
    static HostPort hostPort(String text, boolean namesAllowed, int minPort) {
        String usage = "expected host:port, e.g. \"127.0.0.1:5269\" or \"[::1]:5269\" (got \"" + text + "\")";
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException(usage);
        }
        String host = text.substring(0, colon);
        String portText = text.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
            if (!isIpv6Literal(host)) {
                throw new IllegalArgumentException(usage);
            }
        } else if (host.contains(":")) {
            throw new IllegalArgumentException(usage + "; an IPv6 address must be written in brackets");
        } else if (!isBindAddress(host)) {
            if (!namesAllowed) {
                throw new IllegalArgumentException("\"" + host + "\" must be an IP address or localhost");
            }
            try {
                host = domain(host);
            } catch (IllegalArgumentException badName) {
                throw new IllegalArgumentException(usage);
            }
        }
        if (!portText.chars().allMatch(c -> c >= '0' && c <= '9') || portText.length() > 5) {
            throw new IllegalArgumentException(usage);
        }
        int port = Integer.parseInt(portText);
        if (port < minPort || port > 65535) {
            throw new IllegalArgumentException("port must be between " + minPort + " and 65535 (got " + port + ")");
        }
        return new HostPort(host, port);
    }
}
