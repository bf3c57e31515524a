package org.leakscope.minidump;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.leakscope.model.InputFormatException;

/**
 * Decodes a thread CONTEXT. The CPU comes from SystemInfo when present, else from the ContextFlags CPU bits
 * (x86 0x10000 at offset 0, amd64 0x100000 at offset 0x30, arm64 0x400000 at offset 0). The declared size is
 * honoured: AVX dumps declare 1663 or 2747 bytes, of which the first 1232 are the AMD64 CONTEXT.
 */
final class ContextDecoder {
    static final int X86_SIZE = 716;
    static final int X86_MIN = 204; // without ExtendedRegisters (older writers)
    static final int AMD64_SIZE = 1232;
    /**
     * The integer registers end at rip (0xF8 + 8): what is decoded. lldb-19's Linux minidumps write 720-byte amd64
     * contexts (the FP save area cut short); they are read as far as they go, the rest as zeros.
     */
    static final int AMD64_INTEGER_PART = 0x100;
    static final int ARM64_SIZE = 912;
    private static final int MAX_CONTEXT = 1 << 20;

    private ContextDecoder() {
    }

    static CpuContext decode(DumpFile file, long offset, long size, String cpuHint) {
        if (size > MAX_CONTEXT) {
            throw InputFormatException.atOffset(file.name(), offset, "a thread context of at most " + MAX_CONTEXT
                    + " bytes", size + " bytes");
        }
        byte[] bytes = file.read(offset, (int) size, "thread context");
        String cpu = cpuHint != null ? normalise(cpuHint) : guess(bytes);
        return switch (cpu) {
            case "amd64" -> amd64(file, offset, bytes, size);
            case "x86" -> x86(file, offset, bytes, size);
            case "arm64" -> arm64(file, offset, bytes, size);
            default -> throw InputFormatException.atOffset(file.name(), offset,
                    "an x86, amd64 or arm64 thread context", "a " + size + "-byte context for CPU " + cpu);
        };
    }

    private static String normalise(String cpu) {
        return cpu.equals("x86-on-win64") ? "x86" : cpu;
    }

    private static String guess(byte[] b) {
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        if (b.length >= AMD64_SIZE && (bb.getInt(0x30) & 0x100000) != 0) {
            return "amd64";
        }
        if (b.length >= 4 && (bb.getInt(0) & 0x400000) != 0 && b.length >= ARM64_SIZE) {
            return "arm64";
        }
        if (b.length >= 4 && (bb.getInt(0) & 0x10000) != 0) {
            return "x86";
        }
        return "unknown";
    }

    private static CpuContext x86(DumpFile file, long offset, byte[] b, long size) {
        requireSize(file, offset, b, X86_MIN, "x86");
        MinidumpFile.ContextX86 c = StructReader.parse(file, offset, b, "x86 thread context",
                MinidumpFile.ContextX86::new);
        Map<String, Long> r = new LinkedHashMap<>();
        r.put("eax", c.eax());
        r.put("ebx", c.ebx());
        r.put("ecx", c.ecx());
        r.put("edx", c.edx());
        r.put("esi", c.esi());
        r.put("edi", c.edi());
        r.put("ebp", c.ebp());
        r.put("esp", c.esp());
        r.put("eip", c.eip());
        r.put("eflags", c.eflags());
        r.put("cs", c.cs());
        r.put("ss", c.ss());
        return new CpuContext("x86", c.contextFlags(), c.eip(), c.esp(), c.ebp(), size, r);
    }

    private static CpuContext amd64(DumpFile file, long offset, byte[] b, long size) {
        requireSize(file, offset, b, AMD64_INTEGER_PART, "amd64");
        byte[] prefix = b.length == AMD64_SIZE ? b : java.util.Arrays.copyOf(b, AMD64_SIZE);
        MinidumpFile.ContextAmd64 c = StructReader.parse(file, offset, prefix, "amd64 thread context",
                MinidumpFile.ContextAmd64::new);
        Map<String, Long> r = new LinkedHashMap<>();
        r.put("rax", c.rax());
        r.put("rbx", c.rbx());
        r.put("rcx", c.rcx());
        r.put("rdx", c.rdx());
        r.put("rsi", c.rsi());
        r.put("rdi", c.rdi());
        r.put("rbp", c.rbp());
        r.put("rsp", c.rsp());
        List<Long> hi = c.r8ToR15();
        for (int i = 0; i < hi.size(); i++) {
            r.put("r" + (8 + i), hi.get(i));
        }
        r.put("rip", c.rip());
        r.put("eflags", c.eflags());
        return new CpuContext("amd64", c.contextFlags(), c.rip(), c.rsp(), c.rbp(), size, r);
    }

    private static CpuContext arm64(DumpFile file, long offset, byte[] b, long size) {
        requireSize(file, offset, b, 0x110, "arm64");
        MinidumpFile.ContextArm64 c = StructReader.parse(file, offset, b, "arm64 thread context",
                MinidumpFile.ContextArm64::new);
        Map<String, Long> r = new LinkedHashMap<>();
        List<Long> x = c.x0ToX28();
        for (int i = 0; i < x.size(); i++) {
            r.put("x" + i, x.get(i));
        }
        r.put("fp", c.fp());
        r.put("lr", c.lr());
        r.put("sp", c.sp());
        r.put("pc", c.pc());
        r.put("cpsr", c.cpsr());
        return new CpuContext("arm64", c.contextFlags(), c.pc(), c.sp(), c.fp(), size, r);
    }

    private static void requireSize(DumpFile file, long offset, byte[] b, int min, String cpu) {
        if (b.length < min) {
            throw InputFormatException.atOffset(file.name(), offset, "an " + cpu + " thread context of at least "
                    + min + " bytes", b.length + " bytes");
        }
    }
}
