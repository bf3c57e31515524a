package org.leakscope.minidump;

/**
 * The SystemInfo stream, with the numeric fields named.
 *
 * @param cpu            "x86", "amd64", "arm64", ... (the architecture enum in minidump.ksy)
 * @param os             "Windows NT", "Linux", "Mac OS X", ...
 * @param osVersion      "10.0.19045" (major.minor.build)
 * @param servicePack    CSDVersion: "Service Pack 2" on Windows, the kernel release on Breakpad Linux dumps
 * @param cpuVendor      "GenuineIntel" for x86 dumps, else null
 * @param cpuDescription "GenuineIntel family 6 model 13 stepping 8" where derivable, else null
 */
public record SystemInfo(int architectureCode, String cpu, int processorLevel, int processorRevision,
        int processorCount, int productType, long majorVersion, long minorVersion, long buildNumber,
        long platformId, String os, String osVersion, String servicePack, int suiteMask, String cpuVendor,
        String cpuDescription) {

    public boolean isWindows() {
        return platformId == 2 || platformId == 1 || platformId == 0 || platformId == 3;
    }

    /** 4 or 8. */
    public int pointerSize() {
        return switch (cpu) {
            case "x86", "arm", "mips", "ppc", "sparc" -> 4;
            default -> 8;
        };
    }
}
