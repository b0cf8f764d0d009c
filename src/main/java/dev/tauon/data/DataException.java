package dev.tauon.data;

// A data file or directory that cannot be used: missing, malformed, or inconsistent. The
// message is one line that names the file and what was wrong, so the CLI prints it as is.
public final class DataException extends RuntimeException {
    private static final int SHOWN = 60;

    public DataException(String message) { super(message); }
    public DataException(String message, Throwable cause) { super(message, cause); }

    // Text from a file (a name, a value), fit to quote in a one-line message: control
    // characters escaped as \n, \t, \u0001, cut to 60 characters with "..." after.
    public static String shown(Object value) { return shown(value, SHOWN); }

    // The same, cut to max characters (a parser's own message, say).
    public static String shown(Object value, int max) {
        String s = String.valueOf(value);
        StringBuilder b = new StringBuilder();
        int i = 0;
        for (; i < s.length() && b.length() < max; i++) {
            char c = s.charAt(i);
            if (c == '\n') b.append("\\n");
            else if (c == '\r') b.append("\\r");
            else if (c == '\t') b.append("\\t");
            else if (Character.isISOControl(c) || Character.getType(c) == Character.LINE_SEPARATOR
                    || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return i == s.length() ? b.toString() : b + "...";
    }
}
