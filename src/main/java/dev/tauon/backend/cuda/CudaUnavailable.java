package dev.tauon.backend.cuda;

// Why no GPU can be used here: a library that is missing or incomplete, no device, a driver
// error. The message is shown to the user as it is.
final class CudaUnavailable extends Exception {
    CudaUnavailable(String reason) { super(reason); }
}
