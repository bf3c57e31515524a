package org.leakscope.symbols.dwarf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.symbols.ImageSections;
import org.leakscope.testing.Required;

/**
 * The rule machine against binutils' own interpreter: at every row binutils' {@code --dwarf=frames-interp}
 * prints (each FDE's every location), {@link CallFrameInfo#rulesAt} gives the same CFA and register rules. Run on
 * mingw-w64 PE files (i686: {@code .eh_frame}; x86-64: {@code .debug_frame}) built here, and on the Linux ELF of
 * the corpus.
 */
class CallFrameInfoInterpTest {
    private static final String SOURCE = """
            #include <stdio.h>
            #include <stdlib.h>
            #include <string.h>
            __attribute__((noinline)) int leaf(int x) {
                char *p = malloc(x); memset(p, 1, x); int s = 0;
                for (int i = 0; i < x; i++) s += p[i];
                free(p); return s;
            }
            __attribute__((noinline)) int mid(int a, int b, int c, int d) {
                int r = 0; for (int i = 0; i < a; i++) r += leaf(b + i) * c - d; return r;
            }
            int main(int argc, char **argv) { printf("%d\\n", mid(argc, 3, 4, 5)); return 0; }
            """;

    @TempDir
    Path dir;

    @Test
    void mingwI686EhFrameAgreesWithObjdump() throws Exception {
        Path exe = build("i686-w64-mingw32-gcc", "t32.exe");
        int rows = agree(exe, objdump(exe));
        assertTrue(rows > 100, rows + " rows");
    }

    @Test
    void mingwX8664DebugFrameAgreesWithObjdump() throws Exception {
        Path exe = build("x86_64-w64-mingw32-gcc", "t64.exe");
        int rows = agree(exe, objdump(exe));
        assertTrue(rows > 100, rows + " rows");
    }

    @Test
    void linuxEhFrameAgreesWithReadelf() throws Exception {
        Path elf = Required.corpusFile("dwarf/moz_linux_basic.full");
        int rows = agree(elf, readelf(elf));
        assertEquals(41, rows);
    }

    @Test
    void everyInstructionAgreesWithReadelf() throws Exception {
        Path eh = EveryCfaInstruction.build(dir, false, Commands::run);
        assertEquals(23, agree(eh, readelf(eh)));
        Path debug = EveryCfaInstruction.build(dir, true, Commands::run);
        assertEquals(23, agree(debug, readelf(debug)));
        CfiRules signal = CallFrameInfo.open(eh).rulesAt(0x122bd).orElseThrow();
        assertTrue(signal.signalFrame());
        assertEquals(new CfiRules.RegisterOffset(7, 16), signal.cfa());
    }

    @Test
    void dwarf64DebugFrameAgreesWithReadelf() throws Exception {
        Path p = EveryCfaInstruction.buildDwarf64(dir, Commands::run);
        assertEquals(4, agree(p, readelf(p)));
    }

    private static String objdump(Path exe) throws Exception {
        return Commands.run(List.of("x86_64-w64-mingw32-objdump", "--dwarf=frames-interp", exe.toString()));
    }

    private static String readelf(Path elf) throws Exception {
        return Commands.run(List.of("readelf", "--debug-dump=frames-interp", elf.toString()));
    }

    private Path build(String gcc, String name) throws Exception {
        Path c = dir.resolve("t.c");
        Files.writeString(c, SOURCE);
        Path out = dir.resolve(name);
        Commands.run(List.of(gcc, "-O2", "-g", c.toString(), "-o", out.toString()));
        return out;
    }

    private static final Pattern FDE =
            Pattern.compile("^[0-9a-f]+ [0-9a-f]+ [0-9a-f]+ FDE .*pc=([0-9a-f]+)\\.\\.([0-9a-f]+)");
    private static final Pattern ROW = Pattern.compile("^([0-9a-f]{8,16}) +(.*)$");
    private static final Pattern REG_OFFSET = Pattern.compile("([a-z0-9]+)([+-]\\d+)");

    /** Checks every interpreted row; returns how many were checked. */
    private static int agree(Path file, String interp) throws IOException {
        CallFrameInfo cfi = CallFrameInfo.open(file);
        long base;
        try (FileChannel ch = FileChannel.open(file)) {
            base = ImageSections.read(ch, file.toString()).loadBase();
        }
        CfiArchitecture arch = cfi.architecture();
        List<String> columns = null;
        boolean inFde = false;
        long fdeEnd = 0;
        int checked = 0;
        List<String> wrong = new ArrayList<>();
        for (String line : interp.split("\n")) {
            Matcher fde = FDE.matcher(line);
            if (fde.find()) {
                inFde = true;
                fdeEnd = Long.parseUnsignedLong(fde.group(2), 16);
                columns = null;
                continue;
            }
            if (line.contains(" CIE ")) {
                inFde = false;
                continue;
            }
            if (line.trim().startsWith("LOC")) {
                columns = List.of(line.trim().split(" +"));
                continue;
            }
            Matcher m = ROW.matcher(line);
            if (!inFde || columns == null || !m.matches()) {
                continue;
            }
            long loc = Long.parseUnsignedLong(m.group(1), 16);
            if (loc >= fdeEnd) {
                continue; // a row an advance to the FDE's end starts: the next function's address, not this FDE's
            }
            // readelf names a register rule "r0 (rax)"
            String[] cells = m.group(2).trim().replaceAll("r\\d+ \\((\\w+)\\)", "$1").split(" +");
            Optional<CfiRules> got = cfi.rulesAt(loc - base);
            if (got.isEmpty()) {
                wrong.add(Long.toHexString(loc) + ": no rules");
                continue;
            }
            CfiRules r = got.get();
            for (int i = 0; i < cells.length; i++) {
                String col = columns.get(i + 1);
                String cell = cells[i];
                String why = col.equals("CFA") ? cfa(arch, r.cfa(), cell)
                        : register(arch, r.registers().get(col.equals("ra") ? r.returnAddressRegister()
                                : number(arch, col)), cell);
                if (why != null) {
                    wrong.add(Long.toHexString(loc) + " " + col + ": " + why);
                }
            }
            checked++;
        }
        assertEquals(List.of(), wrong, file.toString());
        assertEquals(List.of(), cfi.problems());
        return checked;
    }

    private static String cfa(CfiArchitecture arch, CfiRules.CfaRule rule, String cell) {
        if (cell.equals("exp")) {
            return rule instanceof CfiRules.CfaExpression ? null : "want an expression, got " + rule;
        }
        Matcher m = REG_OFFSET.matcher(cell);
        if (!m.matches()) {
            return "unparsed " + cell;
        }
        CfiRules.CfaRule want = new CfiRules.RegisterOffset(number(arch, m.group(1)), Long.parseLong(m.group(2)));
        return want.equals(rule) ? null : "want " + want + ", got " + rule;
    }

    private static String register(CfiArchitecture arch, CfiRules.RegisterRule rule, String cell) {
        boolean ok;
        if (cell.equals("u")) {
            // binutils shows a rule dropped by DW_CFA_restore (no CIE rule) as unset; the machine says
            // "same value" there, as Breakpad does
            ok = rule == null || rule instanceof CfiRules.Undefined || rule instanceof CfiRules.SameValue;
        } else if (cell.equals("s")) {
            ok = rule instanceof CfiRules.SameValue;
        } else if (cell.equals("exp")) {
            ok = rule instanceof CfiRules.Saved;
        } else if (cell.equals("vexp")) {
            ok = rule instanceof CfiRules.ValueOf;
        } else if (cell.startsWith("c")) {
            ok = new CfiRules.Offset(Long.parseLong(cell.substring(1))).equals(rule);
        } else if (cell.startsWith("v")) {
            ok = new CfiRules.ValOffset(Long.parseLong(cell.substring(1))).equals(rule);
        } else {
            ok = new CfiRules.Register(number(arch, cell)).equals(rule);
        }
        return ok ? null : "want " + cell + ", got " + rule;
    }

    /** The DWARF number of a register binutils names ({@code rbp}, {@code ecx}, {@code xmm6}). */
    private static int number(CfiArchitecture arch, String name) {
        for (int i = 0; i < 128; i++) {
            if (arch.name(i).equals("$" + name)) {
                return i;
            }
        }
        throw new AssertionError("unknown register " + name);
    }
}
