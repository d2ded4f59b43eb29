package org.skerry.server.auth;

import java.text.Normalizer;

/**
 * SASLprep (RFC 4013), the stringprep profile SCRAM and PLAIN apply to user names and passwords.
 *
 * <p>Implemented: the mapping (non-ASCII spaces of table C.1.2 to SPACE, table B.1 to nothing), NFKC, the
 * prohibited output of tables C.1.2, C.2.1, C.2.2, C.3–C.9, and the bidirectional rule of RFC 3454 §6.
 *
 * <p>Limits, all on the lenient side: RFC 3454 pins Unicode 3.2, but {@link Normalizer} and
 * {@link Character} use the JRE's Unicode version (13.0 on Java 17). So NFKC may differ for the few characters
 * whose decomposition changed after 3.2, the bidi categories come from the newer tables, and "unassigned"
 * (table A.1, refused only for stored strings) means unassigned in the JRE's version, so a character added
 * after 3.2 is accepted in a stored string. The same JRE prepares a password at creation and at login, so a
 * password always matches itself.
 */
public final class Saslprep {
    private Saslprep() {}

    /** Prepares a string that will be stored (a new password): unassigned code points are refused. */
    public static String prepareStored(String input) {
        return prepare(input, true);
    }

    /** Prepares a string that is only compared (a login attempt): unassigned code points are allowed. */
    public static String prepareQuery(String input) {
        return prepare(input, false);
    }

    private static String prepare(String input, boolean stored) {
        StringBuilder mapped = new StringBuilder(input.length());
        input.codePoints().forEach(cp -> {
            if (isMappedToNothing(cp)) {
                return;
            }
            mapped.appendCodePoint(isNonAsciiSpace(cp) ? ' ' : cp);
        });
        String normalized = Normalizer.normalize(mapped, Normalizer.Form.NFKC);

        boolean hasRandAL = false;
        boolean hasL = false;
        int[] codePoints = normalized.codePoints().toArray();
        for (int cp : codePoints) {
            if (isProhibited(cp)) {
                throw new IllegalArgumentException(String.format("SASLprep: prohibited character U+%04X", cp));
            }
            if (stored && !Character.isDefined(cp)) {
                throw new IllegalArgumentException(String.format("SASLprep: unassigned character U+%04X", cp));
            }
            byte direction = Character.getDirectionality(cp);
            hasRandAL |= direction == Character.DIRECTIONALITY_RIGHT_TO_LEFT
                    || direction == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC;
            hasL |= direction == Character.DIRECTIONALITY_LEFT_TO_RIGHT;
        }
        if (hasRandAL && (hasL || !isRandAL(codePoints[0]) || !isRandAL(codePoints[codePoints.length - 1]))) {
            throw new IllegalArgumentException("SASLprep: violates the bidirectional rule of RFC 3454 §6");
        }
        return normalized;
    }

    private static boolean isRandAL(int cp) {
        byte direction = Character.getDirectionality(cp);
        return direction == Character.DIRECTIONALITY_RIGHT_TO_LEFT
                || direction == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC;
    }

    /** RFC 3454 table B.1, "commonly mapped to nothing". */
    private static boolean isMappedToNothing(int cp) {
        return cp == 0x00AD || cp == 0x034F || cp == 0x1806 || (cp >= 0x180B && cp <= 0x180D)
                || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || (cp >= 0xFE00 && cp <= 0xFE0F)
                || cp == 0xFEFF;
    }

    /** RFC 3454 table C.1.2, non-ASCII space characters. */
    private static boolean isNonAsciiSpace(int cp) {
        return cp == 0x00A0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x205F
                || cp == 0x3000;
    }

    /** RFC 4013 §2.3: tables C.1.2, C.2.1, C.2.2, C.3, C.4, C.5, C.6, C.7, C.8 and C.9. */
    private static boolean isProhibited(int cp) {
        return isNonAsciiSpace(cp)
                || cp <= 0x001F || cp == 0x007F // C.2.1
                || (cp >= 0x0080 && cp <= 0x009F) || cp == 0x06DD || cp == 0x070F || cp == 0x180E // C.2.2
                || cp == 0x200C || cp == 0x200D || cp == 0x2028 || cp == 0x2029 || (cp >= 0x2060 && cp <= 0x2063)
                || (cp >= 0x206A && cp <= 0x206F) || cp == 0xFEFF || (cp >= 0x1D173 && cp <= 0x1D17A)
                || (cp >= 0xE000 && cp <= 0xF8FF) || (cp >= 0xF0000 && cp <= 0xFFFFD) // C.3
                || (cp >= 0x100000 && cp <= 0x10FFFD)
                || (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE // C.4
                || (cp >= 0xD800 && cp <= 0xDFFF) // C.5, unpaired surrogates in a Java string
                || (cp >= 0xFFF9 && cp <= 0xFFFD) // C.6
                || (cp >= 0x2FF0 && cp <= 0x2FFB) // C.7
                || cp == 0x0340 || cp == 0x0341 || cp == 0x200E || cp == 0x200F // C.8
                || (cp >= 0x202A && cp <= 0x202E)
                || cp == 0xE0001 || (cp >= 0xE0020 && cp <= 0xE007F); // C.9
    }
}
