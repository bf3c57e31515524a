package org.leakscope.minidump;

/** Names MINIDUMP_MEMORY_INFO's state and type numbers. */
final class MemoryRegions {
    private MemoryRegions() {
    }

    /** @param dump masks the addresses of 32-bit processes to 32 bits */
    static MemoryRegion from(MinidumpFile.MemoryInfo m, Minidump dump) {
        return new MemoryRegion(dump.address(m.addrBase()), dump.address(m.addrAllocationBase()),
                m.allocationProtect(), m.lenRegion(),
                state(m.state()), m.protect(), type(m.type()));
    }

    static String state(long s) {
        return s == 0x1000 ? "commit" : s == 0x2000 ? "reserve" : s == 0x10000 ? "free" : "0x" + Long.toHexString(s);
    }

    static String type(long t) {
        return t == 0x20000 ? "private" : t == 0x40000 ? "mapped" : t == 0x1000000 ? "image"
                : t == 0 ? "" : "0x" + Long.toHexString(t);
    }
}
