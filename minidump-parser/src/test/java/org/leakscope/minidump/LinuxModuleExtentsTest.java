package org.leakscope.minidump;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.leakscope.model.Module;

class LinuxModuleExtentsTest {
    /** /proc/PID/maps as lldb-19 copied it into a dump of planted_wait (paths shortened). */
    private static final String MAPS = String.join("\n",
            "55c7fec85000-55c7fec86000 r--p 00000000 fe:00 5310963      /work/build/planted_wait",
            "55c7fec86000-55c7fec87000 r-xp 00001000 fe:00 5310963      /work/build/planted_wait",
            "55c7fec87000-55c7fec88000 r--p 00002000 fe:00 5310963      /work/build/planted_wait",
            "55c7fec89000-55c7fec8a000 rw-p 00003000 fe:00 5310963      /work/build/planted_wait",
            "55c7fec8a000-55c7fecab000 rw-p 00000000 00:00 0            [heap]",
            "7f6da0b9e000-7f6da0b9f000 rw-p 00000000 00:00 0 ",
            "7f6da0b9f000-7f6da0bc5000 r--p 00000000 fe:00 339380       /usr/lib/x86_64-linux-gnu/libc.so.6",
            "7f6da0bc5000-7f6da0d1b000 r-xp 00026000 fe:00 339380       /usr/lib/x86_64-linux-gnu/libc.so.6",
            "7f6da0d72000-7f6da0d74000 rw-p 001d3000 fe:00 339380       /usr/lib/x86_64-linux-gnu/libc.so.6",
            "7f6da0d74000-7f6da0d81000 rw-p 00000000 00:00 0 ",
            "7f6da0d81000-7f6da0d83000 r--p 00000000 fe:00 339390       /usr/lib/x86_64-linux-gnu/libgcc_s.so.1",
            "garbage line",
            "");

    private static DumpModule module(long base, long size, String path) {
        return new DumpModule(new Module(base, size, path, null, null, null, null), 0, Instant.EPOCH, null, null,
                null);
    }

    @Test
    void aFirstSegmentSizeReachesTheModulesLastMapping() {
        List<DumpModule> out = LinuxModuleExtents.extend(List.of(
                module(0x55c7fec85000L, 0x6c0, "/work/build/planted_wait"),
                // the module list's name of the file, the maps' another (/lib is /usr/lib): the same file name
                module(0x7f6da0b9f000L, 152456, "/lib/x86_64-linux-gnu/libc.so.6")), MAPS);
        // a hole (unmapped 0x88000) and the program's own mappings only, not the heap after them
        assertEquals(0x55c7fec8a000L - 0x55c7fec85000L, out.get(0).size());
        // libc's three mappings; the anonymous one after them and libgcc_s are not libc
        assertEquals(0x7f6da0d74000L - 0x7f6da0b9f000L, out.get(1).size());
        assertEquals("/lib/x86_64-linux-gnu/libc.so.6", out.get(1).module().path());
    }

    @Test
    void sizesAWriterMeasuredAndOtherFilesAreKept() {
        DumpModule breakpad = module(0x7f6da0b9f000L, 0x1d5000, "/usr/lib/x86_64-linux-gnu/libc.so.6");
        DumpModule elsewhere = module(0x7f0000000000L, 0x1000, "/usr/lib/libz.so.1");
        DumpModule otherFile = module(0x7f6da0d81000L, 0x100, "/usr/lib/libm.so.6");
        List<DumpModule> in = List.of(breakpad, elsewhere, otherFile);
        assertEquals(in, LinuxModuleExtents.extend(in, MAPS));
    }

    /** Breakpad's dump of a process with glibc 2.23 (sentry_crash_linux): libc's first mapping is all its code. */
    @Test
    void aSizeThatIsTheWholeFirstMappingIsKept() {
        String maps = String.join("\n",
                "7fa9d1bec000-7fa9d1dac000 r-xp 00000000 08:01 1 /lib/x86_64-linux-gnu/libc-2.23.so",
                "7fa9d1dac000-7fa9d1fac000 ---p 001c0000 08:01 1 /lib/x86_64-linux-gnu/libc-2.23.so",
                "7fa9d1fac000-7fa9d1fb0000 r--p 001c0000 08:01 1 /lib/x86_64-linux-gnu/libc-2.23.so",
                "7fa9d1fb0000-7fa9d1fb2000 rw-p 001c4000 08:01 1 /lib/x86_64-linux-gnu/libc-2.23.so", "");
        List<DumpModule> in = List.of(module(0x7fa9d1bec000L, 0x1c0000, "/lib/x86_64-linux-gnu/libc-2.23.so"));
        assertEquals(in, LinuxModuleExtents.extend(in, maps));
    }
}
