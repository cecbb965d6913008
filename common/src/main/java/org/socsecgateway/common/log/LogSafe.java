package org.socsecgateway.common.log;

/**
 * Makes a caller-controlled value (a token's {@code sub}, a header value) safe to write into a log line: a line
 * break or other control character in it could otherwise forge a separate log line (CWE-117). Use it for what is
 * logged only, never for the value that is checked.
 */
public final class LogSafe {

    /**
     * A regular expression (for {@code String.matches} or a {@code @Pattern}) that free text matches only when it
     * holds no number that could be a CPR number: six digits (DDMMYY), an optional {@code -} or space, four digits.
     * For caller text that is logged or stored (a refusal detail, an operator's reason): a personal number must never
     * reach a log line.
     */
    public static final String NO_CPR_NUMBER = "(?s)(?!.*\\d{6}[- ]?\\d{4}).*";

    private LogSafe() {
    }

    /**
     * {@code value} with a backslash doubled, CR, LF and TAB written as {@code \r}, {@code \n}, {@code \t}, and every
     * other C0 or C1 control character, DEL, U+2028/U+2029 (line and paragraph separators) and the bidirectional
     * formatting characters (U+200E/F, U+202A-E, U+2066-9: they reorder what a reader sees) written as
     * {@code \\uXXXX}. {@code null} stays {@code null}.
     */
    public static String escape(String value) {
        if (value == null || value.chars().noneMatch(LogSafe::needsEscape)) {
            return value;
        }
        StringBuilder escaped = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> escaped.append("\\\\");
                case '\r' -> escaped.append("\\r");
                case '\n' -> escaped.append("\\n");
                case '\t' -> escaped.append("\\t");
                default -> {
                    if (needsEscape(c)) {
                        escaped.append(String.format("\\u%04x", (int) c));
                    } else {
                        escaped.append(c);
                    }
                }
            }
        }
        return escaped.toString();
    }

    private static boolean needsEscape(int c) {
        return c == '\\' || c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029 || c == 0x200e || c == 0x200f
                || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    }
}
