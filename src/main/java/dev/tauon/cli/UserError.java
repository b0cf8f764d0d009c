package dev.tauon.cli;

// A mistake in what the user asked for (a bad file, flag or value): printed as one line,
// never with a stack trace, and the process exits with status 2.
public final class UserError extends RuntimeException {
    public UserError(String message) { super(message); }
    public UserError(String message, Throwable cause) { super(message, cause); }

    // Fails when a product of sizes would not fit one Java array (2^31 − 9 elements).
    static void checkArraySize(String what, long... dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
            if (n > Integer.MAX_VALUE - 8) {
                throw new UserError(what + " needs more than 2^31 elements in one array; choose smaller sizes");
            }
        }
    }
}
