package org.leakscope.minidump;

import java.util.Map;

/**
 * Describes a 32-bit ARM CPU the way Breakpad's minidump_stackwalk does: {@code ARMv7 ARM Cortex-A9 features:
 * swp,half,thumb,...}, from ProcessorLevel (the architecture version), the MIDR register Breakpad's Linux writer
 * reads from /proc/cpuinfo (implementer and part number) and the kernel's AT_HWCAP bits.
 */
final class ArmCpus {
    private ArmCpus() {
    }

    private static final Map<Long, String> IMPLEMENTERS = Map.of(0x41L, "ARM", 0x51L, "Qualcomm", 0x56L, "Marvell",
            0x69L, "Intel/Marvell");

    /** MIDR with the variant and revision masked out (implementer, architecture, part number). */
    private static final Map<Long, String> PARTS = Map.ofEntries(Map.entry(0x4100c050L, "Cortex-A5"),
            Map.entry(0x4100c080L, "Cortex-A8"), Map.entry(0x4100c090L, "Cortex-A9"),
            Map.entry(0x4100c0f0L, "Cortex-A15"), Map.entry(0x4100c140L, "Cortex-R4"),
            Map.entry(0x4100c150L, "Cortex-R5"), Map.entry(0x4100b360L, "ARM1136"), Map.entry(0x4100b560L, "ARM1156"),
            Map.entry(0x4100b760L, "ARM1176"), Map.entry(0x4100b020L, "ARM11-MPCore"),
            Map.entry(0x41009260L, "ARM926"), Map.entry(0x41009460L, "ARM946"), Map.entry(0x41009660L, "ARM966"),
            Map.entry(0x510006f0L, "Krait"), Map.entry(0x510000f0L, "Scorpion"));

    /** AT_HWCAP bit names for 32-bit ARM (the kernel's arch/arm/include/uapi/asm/hwcap.h), by bit. */
    private static final String[] HWCAPS = {"swp", "half", "thumb", "26bit", "fastmult", "fpa", "vfpv2", "edsp",
        "java", "iwmmxt", "crunch", "thumbee", "neon", "vfpv3", "vfpv3d16", "tls", "vfpv4", "idiva", "idivt"};

    static String describe(int architectureVersion, long midr, long hwcaps) {
        StringBuilder sb = new StringBuilder("ARMv").append(architectureVersion);
        if (midr != 0) {
            long implementer = (midr >>> 24) & 0xff;
            long part = midr & 0xff00fff0L;
            sb.append(' ').append(IMPLEMENTERS.getOrDefault(implementer, "vendor(0x" + Long.toHexString(implementer)
                    + ")"));
            sb.append(' ').append(PARTS.getOrDefault(part, "part(0x" + Long.toHexString(part) + ")"));
        }
        if (hwcaps != 0) {
            sb.append(" features: ");
            String comma = "";
            for (int bit = 0; bit < HWCAPS.length; bit++) {
                if ((hwcaps & (1L << bit)) != 0) {
                    sb.append(comma).append(HWCAPS[bit]);
                    comma = ",";
                }
            }
        }
        return sb.toString();
    }
}
