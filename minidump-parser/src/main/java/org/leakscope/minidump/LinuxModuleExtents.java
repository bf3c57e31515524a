package org.leakscope.minidump;

import java.util.ArrayList;
import java.util.List;
import org.leakscope.model.Module;

/**
 * Module sizes of Linux dumps whose ModuleList records only a module's first segment (lldb's minidump writer:
 * 1.7 KiB for a program whose code starts at its second mapping), corrected from the LinuxMaps stream: a module
 * reaches the end of the last of its file's mappings that follow its base without another file's in between.
 * Breakpad's and Crashpad's writers record that extent already, and their modules are left as they are: only a
 * size that ends inside the first mapping is extended. Without this, return addresses in the module's code fall outside
 * every module and are never named or unwound.
 */
final class LinuxModuleExtents {
    private LinuxModuleExtents() {
    }

    /** One line of /proc/PID/maps: start, end, and the file's path (empty for anonymous memory). */
    record Mapping(long start, long end, String path) {
    }

    static List<DumpModule> extend(List<DumpModule> modules, String maps) {
        List<Mapping> mappings = parse(maps);
        if (mappings.isEmpty()) {
            return modules;
        }
        List<DumpModule> out = new ArrayList<>(modules.size());
        for (DumpModule d : modules) {
            long extent = extent(mappings, d.base(), d.size(), d.module().path());
            Module m = d.module();
            out.add(extent > m.size() ? new DumpModule(new Module(m.base(), extent, m.path(), m.debugFile(),
                    m.debugId(), m.version(), m.codeId()), d.checksum(), d.timestamp(), d.productVersion(), d.codeId(),
                    d.cvSignature()) : d);
        }
        return out;
    }

    /** The module's extent from its mappings, or 0 when its first mapping does not hold its recorded size. */
    private static long extent(List<Mapping> mappings, long base, long size, String path) {
        int first = -1;
        for (int i = 0; i < mappings.size(); i++) {
            if (mappings.get(i).start() == base) {
                first = i;
                break;
            }
        }
        // the same file name: the recorded path may be another name of the file (/lib -> /usr/lib)
        if (first < 0 || path == null || !fileName(mappings.get(first).path()).equals(fileName(path))
                || Long.compareUnsigned(size, mappings.get(first).end() - base) >= 0) {
            // not the module's file, or a size reaching the first mapping's end: the writer measured it (Breakpad
            // gives an old glibc, whose first mapping is all of its code, exactly that mapping)
            return 0;
        }
        String file = mappings.get(first).path();
        long end = mappings.get(first).end();
        for (int i = first + 1; i < mappings.size(); i++) {
            Mapping m = mappings.get(i);
            if (m.path().equals(file)) {
                end = m.end();
            } else if (!m.path().isEmpty()) {
                break; // another file: the module ended (an anonymous mapping, its .bss, may sit in between)
            }
        }
        return end - base;
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** The lines that parse; the stream is text from the dumped machine, so anything else is skipped. */
    static List<Mapping> parse(String maps) {
        List<Mapping> out = new ArrayList<>();
        for (String line : maps.split("\n")) {
            String[] f = line.strip().split("\\s+", 6);
            int dash = f[0].indexOf('-');
            if (f.length < 5 || dash < 0) {
                continue;
            }
            try {
                long start = Long.parseUnsignedLong(f[0].substring(0, dash), 16);
                long end = Long.parseUnsignedLong(f[0].substring(dash + 1), 16);
                if (Long.compareUnsigned(end, start) > 0) {
                    out.add(new Mapping(start, end, f.length == 6 ? f[5].strip() : ""));
                }
            } catch (NumberFormatException e) {
                // not a mapping line
            }
        }
        out.sort((a, b) -> Long.compareUnsigned(a.start(), b.start()));
        return out;
    }
}
