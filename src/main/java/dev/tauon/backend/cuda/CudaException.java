package dev.tauon.backend.cuda;

// A CUDA runtime or cuBLAS call that returned an error: names the function, the status name
// and, when the library gives one, its description.
public final class CudaException extends RuntimeException {
    private final String function;
    private final int code;
    private final String status;

    public CudaException(String function, int code, String status, String detail) {
        super(function + " failed: " + status + " (" + code + ")" + (detail == null || detail.isEmpty() ? "" : ": " + detail));
        this.function = function;
        this.code = code;
        this.status = status;
    }

    public String function() { return function; }
    public int code() { return code; }
    public String status() { return status; }
}
