package org.leakscope.minidump;

/**
 * The SystemInfo stream, with the numeric fields named.
 *
 * @param cpu            "x86", "amd64", "arm64", ... (the architecture enum in minidump.ksy)
 * @param os             "Windows NT", "Linux", "Mac OS X", ...
 * @param osVersion      "10.0.19045" (major.minor.build)
 * @param servicePack    CSDVersion: "Service Pack 2" on Windows, the kernel release on Breakpad Linux dumps
 * @param cpuVendor      "GenuineIntel", "AuthenticAMD": always on x86, on amd64 when the writer recorded it
 *                       (Breakpad and Crashpad do, dbghelp does not); else null
 * @param cpuDescription as Breakpad words it: "GenuineIntel family 6 model 13 stepping 8" (x86),
 *                       "family 6 model 69 stepping 1" (amd64), "ARMv7 ARM Cortex-A9 features: ..." (arm); else null
 */
public record SystemInfo(int architectureCode, String cpu, int processorLevel, int processorRevision,
        int processorCount, int productType, long majorVersion, long minorVersion, long buildNumber,
        long platformId, String os, String osVersion, String servicePack, int suiteMask, String cpuVendor,
        String cpuDescription) {

    public boolean isWindows() {
        return platformId == 2 || platformId == 1 || platformId == 0 || platformId == 3;
    }

    /**
     * 4 for the 32-bit CPUs (x86, also as a 32-bit process on 64-bit Windows; arm, mips, ppc, shx), else 8: as
     * Breakpad, which also treats sparc as 64-bit because a dump cannot tell its two ABIs apart.
     */
    public int pointerSize() {
        return switch (cpu) {
            case "x86", "x86-on-win64", "arm", "mips", "ppc", "shx" -> 4;
            default -> 8;
        };
    }
}
