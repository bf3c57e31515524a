package org.leakscope.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.testing.Required;

/**
 * The decoded unwind data agrees, entry by entry and code by code, with LLVM's reading of it
 * ({@code llvm-readobj --unwind}, Debian package llvm): on the corpus' MSVC exe, and on a mingw-w64 exe built
 * here from assembly whose {@code .seh_*} directives produce every operation GNU as can write (ALLOC_LARGE in
 * both forms, SAVE_NONVOL_FAR, SAVE_XMM128 and its far form, SET_FPREG, PUSH_MACHFRAME with an error code, an
 * exception handler with its data) and from C compiled by gcc.
 */
class X64UnwindLlvmTest {
    private static final String READOBJ = "llvm-readobj";
    private static final String CC = "x86_64-w64-mingw32-gcc";

    static final String ASSEMBLY = """
            \t.text
            \t.globl big
            \t.def big; .scl 2; .type 32; .endef
            \t.seh_proc big
            big:
            \tpushq %rbp
            \t.seh_pushreg %rbp
            \tpushq %rbx
            \t.seh_pushreg %rbx
            \tsubq $4096, %rsp
            \t.seh_stackalloc 4096
            \tleaq 128(%rsp), %rbp
            \t.seh_setframe %rbp, 128
            \tmovq %rsi, 256(%rsp)
            \t.seh_savereg %rsi, 256
            \tmovq %rdi, 800000(%rsp)
            \t.seh_savereg %rdi, 800000
            \tmovaps %xmm6, 32(%rsp)
            \t.seh_savexmm %xmm6, 32
            \tmovaps %xmm7, 1048576(%rsp)
            \t.seh_savexmm %xmm7, 1048576
            \t.seh_endprologue
            \tnop
            \taddq $4096, %rsp
            \tpopq %rbx
            \tpopq %rbp
            \tret
            \t.seh_endproc

            \t.globl huge
            \t.def huge; .scl 2; .type 32; .endef
            \t.seh_proc huge
            huge:
            \tsubq $600000, %rsp
            \t.seh_stackalloc 600000
            \t.seh_endprologue
            \taddq $600000, %rsp
            \tret
            \t.seh_endproc

            \t.globl intr
            \t.def intr; .scl 2; .type 32; .endef
            \t.seh_proc intr
            intr:
            \t.seh_pushframe code
            \tpushq %rax
            \t.seh_pushreg %rax
            \tsubq $8, %rsp
            \t.seh_stackalloc 8
            \t.seh_endprologue
            \tnop
            \tiretq
            \t.seh_endproc

            \t.globl withhandler
            \t.def withhandler; .scl 2; .type 32; .endef
            \t.seh_proc withhandler
            withhandler:
            \tpushq %r12
            \t.seh_pushreg %r12
            \tsubq $32, %rsp
            \t.seh_stackalloc 32
            \t.seh_endprologue
            \t.seh_handler __C_specific_handler, @except
            \t.seh_handlerdata
            \t.long 1
            \t.long 0x11223344
            \t.long 0x55667788
            \t.long 0
            \t.long 0
            \t.text
            \tcall big
            \taddq $32, %rsp
            \tpopq %r12
            \tret
            \t.seh_endproc
            """;

    static final String C = """
            #include <stdio.h>
            #include <stdlib.h>
            #include <string.h>
            extern void withhandler(void);
            __attribute__((noinline)) double mix(double *v, int n) {
                double a = 0, b = 1, c = 2, d = 3, e = 4, f = 5, g = 6, h = 7;
                for (int i = 0; i < n; i++) {
                    a += v[i]; b *= v[i]; c -= a; d += b * c; e = e * d + a; f += e; g -= f; h += g * a;
                    printf("%f\\n", a + b + c + d + e + f + g + h);
                }
                return a + b + c + d + e + f + g + h;
            }
            __attribute__((noinline)) int frame(int n) {
                char *buf = __builtin_alloca(n);
                memset(buf, 1, n);
                return buf[n / 2] + (int) mix((double *) buf, n / 8);
            }
            int main(int argc, char **argv) {
                (void) argv;
                if (argc > 5) withhandler();
                return frame(argc * 64);
            }
            """;

    @TempDir
    Path tmp;

    @Test
    void corpusMsvcExeAgreesWithLlvmReadobj() throws Exception {
        Tools.require(READOBJ, "apt-get install llvm");
        assertAgrees(Required.corpusFile("pdb/moz_dump_syms_regtest64.exe"), 195);
    }

    @Test
    void mingwExeWithEveryGnuAsOperationAgreesWithLlvmReadobj() throws Exception {
        Tools.require(READOBJ, "apt-get install llvm");
        Tools.require(CC, "apt-get install gcc-mingw-w64-x86-64");
        Path s = tmp.resolve("ops.s");
        Path c = tmp.resolve("main.c");
        Path exe = tmp.resolve("ops.exe");
        Files.writeString(s, ASSEMBLY);
        Files.writeString(c, C);
        Tools.run(List.of(CC, "-O2", "-o", exe.toString(), c.toString(), s.toString()));
        String listing = assertAgrees(exe, -1);
        for (String op : List.of("ALLOC_LARGE size=4096", "ALLOC_LARGE size=600000", "SAVE_NONVOL_FAR",
                "SAVE_XMM128 ", "SAVE_XMM128_FAR", "SET_FPREG", "PUSH_MACHFRAME errcode=yes", "Handler:")) {
            assertTrue(listing.contains(op), op + " in the llvm-readobj listing");
        }
    }

    /** Compares; returns llvm-readobj's listing. {@code functions} is the expected entry count, or -1. */
    private String assertAgrees(Path exe, int functions) throws Exception {
        String listing = Tools.run(List.of(READOBJ, "--unwind", exe.toString()));
        List<String> want = llvm(listing);
        List<String> got = new ArrayList<>();
        long base = PeSymbolFile.open(exe).imageBase();
        try (X64Unwind u = X64Unwind.open(exe)) {
            for (int i = 0; i < u.functions(); i++) {
                X64RuntimeFunction f = u.function(i);
                X64UnwindProgram p = u.at(f.begin()).orElseThrow();
                got.addAll(render(f, p.chain().get(0), base));
            }
            assertEquals(List.of(), u.problems());
            if (functions >= 0) {
                assertEquals(functions, u.functions());
            }
        }
        assertEquals(String.join("\n", want), String.join("\n", got));
        System.out.println(exe.getFileName() + ": " + got.stream().filter(l -> l.startsWith("Start")).count()
                + " entries and " + got.stream().filter(l -> l.startsWith("0x")).count() + " unwind codes as"
                + " llvm-readobj reads them");
        return listing;
    }

    /** The lines of the listing this test compares, symbol names before a "(" dropped. */
    private static List<String> llvm(String listing) {
        List<String> out = new ArrayList<>();
        for (String raw : listing.lines().toList()) {
            String l = raw.strip();
            if (l.matches("(StartAddress|EndAddress|UnwindInfoAddress|Handler): .*")) {
                out.add(l.substring(0, l.indexOf(':') + 1) + " " + l.substring(l.indexOf('(')));
            } else if (l.matches("(Version|PrologSize|FrameRegister|FrameOffset|UnwindCodeCount): .*")
                    || l.matches("0x[0-9A-F]{2}: .*")) {
                out.add(l);
            } else if (l.startsWith("Flags [")) {
                out.add(l);
            }
        }
        return out;
    }

    private static String va(long base, long rva) {
        return "(0x" + Long.toHexString(base + rva).toUpperCase(Locale.ROOT) + ")";
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v).toUpperCase(Locale.ROOT);
    }

    /** Our reading in llvm-readobj's words. */
    private static List<String> render(X64RuntimeFunction f, X64UnwindInfo u, long base) {
        List<String> out = new ArrayList<>();
        out.add("StartAddress: " + va(base, f.begin()));
        out.add("EndAddress: " + va(base, f.end()));
        out.add("UnwindInfoAddress: " + va(base, f.unwindRva()));
        out.add("Version: " + u.version());
        out.add("Flags [ (" + hex(u.flags()) + ")");
        out.add("PrologSize: " + u.prologSize());
        out.add("FrameRegister: " + (u.frameRegister() == 0 ? "-" : gpr(u.frameRegister()) + " ("
                + hex(u.frameRegister()) + ")"));
        out.add("FrameOffset: " + (u.frameRegister() == 0 ? "-" : hex(u.frameOffset() / 16)));
        out.add("UnwindCodeCount: " + u.codes().stream().mapToInt(X64UnwindCode::slots).sum());
        for (X64UnwindCode c : u.codes()) {
            String at = String.format("0x%02X: ", c.prologOffset());
            out.add(at + switch (c.op()) {
                case PUSH_NONVOL -> "PUSH_NONVOL reg=" + gpr(c.info());
                case ALLOC_LARGE -> "ALLOC_LARGE size=" + c.operand();
                case ALLOC_SMALL -> "ALLOC_SMALL size=" + c.operand();
                case SET_FPREG -> "SET_FPREG reg=" + gpr(u.frameRegister()) + ", offset=" + hex(c.operand());
                case SAVE_NONVOL -> "SAVE_NONVOL reg=" + gpr(c.info()) + ", offset=" + hex(c.operand());
                case SAVE_NONVOL_FAR -> "SAVE_NONVOL_FAR reg=" + gpr(c.info()) + ", offset=" + hex(c.operand());
                case SAVE_XMM128 -> "SAVE_XMM128 reg=XMM" + c.info() + ", offset=" + hex(c.operand());
                case SAVE_XMM128_FAR -> "SAVE_XMM128_FAR reg=XMM" + c.info() + ", offset=" + hex(c.operand());
                case PUSH_MACHFRAME -> "PUSH_MACHFRAME errcode=" + (c.info() == 1 ? "yes" : "no");
                default -> c.op().toString();
            });
        }
        if (u.handlerRva() >= 0) {
            out.add("Handler: " + va(base, u.handlerRva()));
        }
        return out;
    }

    private static String gpr(int n) {
        return X64UnwindCode.register(n).substring(1).toUpperCase(Locale.ROOT);
    }
}
