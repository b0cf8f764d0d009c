package dev.tauon.data;

// A data file or directory that cannot be used: missing, malformed, or inconsistent. The
// message is one line that names the file and what was wrong, so the CLI prints it as is.
public final class DataException extends RuntimeException {
    public DataException(String message) { super(message); }
    public DataException(String message, Throwable cause) { super(message, cause); }
}
