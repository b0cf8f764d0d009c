package dev.tauon.kernel;

import java.lang.management.ManagementFactory;

// Decides once, at start-up, whether the Vector API kernels run. They are fast only when the
// incubator module is readable and C2 compiles them; otherwise the scalar twins run (same
// bits, slower) and the reason is kept for `tauon info` and a one-time notice.
public final class Simd {
    public static final boolean ENABLED;
    public static final String REASON;
    public static final String SPECIES;
    public static final int LANES;

    static {
        String reason = null;
        String species = "none";
        int lanes = 1;
        if (!Boolean.parseBoolean(System.getProperty("tauon.simd", "true"))) {
            reason = "disabled by -Dtauon.simd=false";
        } else if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            reason = "module jdk.incubator.vector not loaded; run with --add-modules jdk.incubator.vector (./tauon does)";
        } else if (!c2Available()) {
            reason = "the C2 JIT is off (-Xint or TieredStopAtLevel<4); Vector API code would be slower than scalar";
        } else {
            try {
                species = VectorElementwise.speciesName();
                lanes = VectorElementwise.lanes();
                if (lanes < 4) reason = "preferred vector has " + lanes + " float lanes; too narrow to pay";
            } catch (LinkageError e) {
                reason = "Vector API unavailable: " + e;
            }
        }
        ENABLED = reason == null;
        REASON = ENABLED ? "Vector API, " + species : reason;
        SPECIES = ENABLED ? species : "none";
        LANES = ENABLED ? lanes : 1;
    }

    private Simd() {}

    private static boolean c2Available() {
        if (System.getProperty("java.vm.name", "").contains("OpenJ9")) return false;
        try {
            for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (arg.equals("-Xint") || arg.matches("-XX:TieredStopAtLevel=[0-3]")) return false;
            }
        } catch (Throwable e) {
            return true; // no management bean (custom runtime): assume a normal HotSpot
        }
        return true;
    }
}
