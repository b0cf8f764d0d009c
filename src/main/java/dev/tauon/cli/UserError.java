package dev.tauon.cli;

// A mistake in what the user asked for (a bad file, flag or value): printed as one line,
// never with a stack trace, and the process exits with status 2.
public final class UserError extends RuntimeException {
    public UserError(String message) { super(message); }
    public UserError(String message, Throwable cause) { super(message, cause); }
}
