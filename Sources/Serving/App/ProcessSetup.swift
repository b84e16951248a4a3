import NN

/// Process-wide set-up that must run first thing in `main`, before any thread starts.
public enum ProcessSetup {
    /// Picks OpenBLAS's fast kernels for this CPU (may re-execute the process once; see
    /// `selectBLASKernels`).
    public static func selectFastKernels() {
        selectBLASKernels()
    }
}
