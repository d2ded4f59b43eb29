package org.skerry.bench.xml;

/** Escaping for what the tool writes and decoding of the five predefined entities and character references it reads. */
public final class XmlEscape {
    private XmlEscape() {}

    public static String text(String raw) {
        if (raw.indexOf('&') < 0 && raw.indexOf('<') < 0 && raw.indexOf('>') < 0) {
            return raw;
        }
        return raw.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    public static String attribute(String raw) {
        return text(raw).replace("'", "&apos;").replace("\"", "&quot;");
    }

    /** Replaces entity and character references; an unknown or broken reference is kept as written. */
    static String decode(String escaped) {
        int amp = escaped.indexOf('&');
        if (amp < 0) {
            return escaped;
        }
        StringBuilder out = new StringBuilder(escaped.length());
        int from = 0;
        while (amp >= 0) {
            out.append(escaped, from, amp);
            int semicolon = escaped.indexOf(';', amp);
            String replacement = semicolon < 0 ? null : reference(escaped.substring(amp + 1, semicolon));
            if (replacement == null) {
                out.append('&');
                from = amp + 1;
            } else {
                out.append(replacement);
                from = semicolon + 1;
            }
            amp = escaped.indexOf('&', from);
        }
        return out.append(escaped, from, escaped.length()).toString();
    }

    private static String reference(String name) {
        switch (name) {
            case "lt": return "<";
            case "gt": return ">";
            case "amp": return "&";
            case "apos": return "'";
            case "quot": return "\"";
            default:
                break;
        }
        try {
            if (name.startsWith("#x")) {
                return new String(Character.toChars(Integer.parseInt(name.substring(2), 16)));
            }
            if (name.startsWith("#")) {
                return new String(Character.toChars(Integer.parseInt(name.substring(1))));
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        return null;
    }
}
