package org.leakscope.minidump;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.leakscope.model.Hex;

/** Names SystemInfo's numbers the way Breakpad's stackwalker prints them. */
final class SystemInfoDecoder {
    private SystemInfoDecoder() {
    }

    private static final Map<Integer, String> CPUS = Map.ofEntries(Map.entry(0, "x86"), Map.entry(1, "mips"),
            Map.entry(2, "alpha"), Map.entry(3, "ppc"), Map.entry(4, "shx"), Map.entry(5, "arm"),
            Map.entry(6, "ia64"), Map.entry(7, "alpha64"), Map.entry(8, "msil"), Map.entry(9, "amd64"),
            Map.entry(10, "x86-on-win64"), Map.entry(12, "arm64"), Map.entry(0x8001, "sparc"),
            Map.entry(0x8002, "ppc64"), Map.entry(0x8003, "arm64"), Map.entry(0x8004, "mips64"),
            Map.entry(0x8005, "riscv"), Map.entry(0x8006, "riscv64"));

    private static final Map<Long, String> PLATFORMS = Map.ofEntries(Map.entry(0L, "Windows 3.1 (Win32s)"),
            Map.entry(1L, "Windows 9x"), Map.entry(2L, "Windows NT"), Map.entry(3L, "Windows CE"),
            Map.entry(0x8000L, "Unix"), Map.entry(0x8101L, "Mac OS X"), Map.entry(0x8102L, "iOS"),
            Map.entry(0x8201L, "Linux"), Map.entry(0x8202L, "Solaris"), Map.entry(0x8203L, "Android"),
            Map.entry(0x8204L, "PS3"), Map.entry(0x8205L, "NaCl"), Map.entry(0x8206L, "Fuchsia"));

    static SystemInfo decode(Minidump dump, MinidumpFile.SystemInfo s) {
        int arch = s.processorArchitecture();
        String cpu = CPUS.getOrDefault(arch, Hex.of(arch));
        String os = PLATFORMS.getOrDefault(s.platformId(), Hex.of(s.platformId()));
        String csd = dump.stringAt(s.ofsCsdVersion(), "CSD version string");
        String vendor = null;
        String description = null;
        if (arch == 0 || arch == 9) {
            vendor = x86Vendor(s.cpu().vendorId(), arch == 0);
            // Windows keeps the CPUID family in ProcessorLevel and model << 8 | stepping in ProcessorRevision;
            // Breakpad's and Crashpad's writers fill them the same way. Breakpad names the vendor on x86 only.
            String fms = "family " + s.processorLevel() + " model " + (s.processorRevision() >> 8) + " stepping "
                    + (s.processorRevision() & 0xff);
            description = arch == 0 && vendor != null ? vendor + " " + fms : fms;
        } else if (arch == 5) {
            description = ArmCpus.describe(s.processorLevel(), s.cpu().armCpuid(), s.cpu().armElfHwcaps());
        }
        return new SystemInfo(arch, cpu, s.processorLevel(), s.processorRevision(), s.numProcessors(),
                s.productType(), s.majorVersion(), s.minorVersion(), s.buildNumber(), s.platformId(), os,
                s.majorVersion() + "." + s.minorVersion() + "." + s.buildNumber(), csd, s.suiteMask(), vendor,
                description);
    }

    /**
     * CPU_INFORMATION's 12-byte vendor id. On x86 it is always the vendor; on amd64 the same bytes are
     * ProcessorFeatures for dbghelp and the vendor for Breakpad and Crashpad, so there it counts only when it
     * reads as a vendor name (printable ASCII, like "GenuineIntel" or "AuthenticAMD").
     */
    private static String x86Vendor(byte[] id, boolean x86) {
        String text = new String(id, StandardCharsets.ISO_8859_1).replace("\0", "").strip();
        if (x86) {
            return text.isEmpty() ? null : text;
        }
        if (id.length != 12) {
            return null;
        }
        for (byte b : id) {
            if (b < 0x20 || b > 0x7e) {
                return null;
            }
        }
        return text.chars().anyMatch(Character::isLetter) ? text : null;
    }
}
