package org.leakscope.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes UMDH snapshot logs with known contents for tests, in the line shapes of docs/formats/umdh.md. Written
 * from the documented format, independent of the reader.
 */
final class UmdhLogWriter {
    record Module(String path, long base, long size) {
    }

    /** A stack as (module index, offset) pairs, innermost first. */
    record Stack(String traceId, int[] modules, long[] offsets) {
    }

    private final List<Module> modules = new ArrayList<>();
    private final Map<String, Stack> stacks = new LinkedHashMap<>();
    private final List<String> records = new ArrayList<>();
    private final StringBuilder body = new StringBuilder();
    private final java.util.Set<String> printed = new java.util.HashSet<>();
    private String time = "2026-01-01 00:00";
    private long pid = 1234;
    private long nextAddress = 0x2E90000;

    UmdhLogWriter module(String path, long base, long size) {
        modules.add(new Module(path, base, size));
        return this;
    }

    UmdhLogWriter time(String t) {
        time = t;
        return this;
    }

    UmdhLogWriter pid(long p) {
        pid = p;
        return this;
    }

    UmdhLogWriter stack(String name, String traceId, Object... moduleOffsetPairs) {
        int n = moduleOffsetPairs.length / 2;
        int[] m = new int[n];
        long[] o = new long[n];
        for (int i = 0; i < n; i++) {
            m[i] = (Integer) moduleOffsetPairs[2 * i];
            o[i] = ((Number) moduleOffsetPairs[2 * i + 1]).longValue();
        }
        stacks.put(name, new Stack(traceId, m, o));
        return this;
    }

    /** {@code count} allocations of {@code size} bytes (8 bytes of overhead each) from a stack. */
    UmdhLogWriter allocations(String stack, int count, long size) {
        Stack s = stacks.get(stack);
        for (int i = 0; i < count; i++) {
            body.append(Long.toHexString(size).toUpperCase()).append(" bytes + 8 at ")
                    .append(Long.toHexString(nextAddress).toUpperCase()).append(" by BackTrace").append(s.traceId())
                    .append('\n');
            nextAddress += 0x100;
            if (printed.add(stack)) {
                for (int f = 0; f < s.modules().length; f++) {
                    Module m = modules.get(s.modules()[f]);
                    body.append('\t').append(Long.toHexString(m.base() + s.offsets()[f]).toUpperCase()).append('\n');
                }
                body.append('\n');
            }
        }
        return this;
    }

    void write(Path path) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("// \n// UMDH: version 10.0.19041.1: Logtime ").append(time).append(" - Machine=TEST - PID=")
                .append(pid).append("\n// \n\n// Loaded modules: \n//     Base Size Module\n");
        for (Module m : modules) {
            sb.append(String.format("// %20X %8X %s%n", m.base(), m.size(), m.path()));
        }
        sb.append("//\n// Process modules enumerated.\n\n");
        sb.append("*- - - - - - - - - - Start of data for heap @ 2E60000 - - - - - - - - - -\n\n");
        sb.append("REQUESTED bytes + OVERHEAD at ADDRESS by BackTraceID\n     STACK if not already dumped.\n\n");
        sb.append("*- - - - - - - - - - Heap 2E60000 Hogs - - - - - - - - - -\n\n");
        sb.append(body);
        sb.append("*- - - - - - - - - - End of data for heap @ 2E60000 - - - - - - - - - -\n");
        Files.writeString(path, sb.toString().replace("\r\n", "\n"), StandardCharsets.US_ASCII);
    }
}
