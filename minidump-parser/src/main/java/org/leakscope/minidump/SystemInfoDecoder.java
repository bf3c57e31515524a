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
        if (arch == 0 || arch == 10) {
            MinidumpFile.CpuInformation c = s.cpu();
            vendor = new String(c.vendorId(), StandardCharsets.ISO_8859_1).replace("\0", "");
            long v = c.versionInformation();
            // CPUID leaf 1: family in bits 8-11 (+ extended family), model in 4-7 (+ extended model << 4).
            long family = (v >> 8) & 0xf;
            long model = (v >> 4) & 0xf;
            if (family == 0xf) {
                family += (v >> 20) & 0xff;
            }
            if (family == 0x6 || family >= 0xf) {
                model += ((v >> 16) & 0xf) << 4;
            }
            description = vendor + " family " + family + " model " + model + " stepping " + (v & 0xf);
        }
        return new SystemInfo(arch, cpu, s.processorLevel(), s.processorRevision(), s.numProcessors(),
                s.productType(), s.majorVersion(), s.minorVersion(), s.buildNumber(), s.platformId(), os,
                s.majorVersion() + "." + s.minorVersion() + "." + s.buildNumber(), csd, s.suiteMask(), vendor,
                description);
    }
}
