package org.leakscope.symbols.dwarf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.leakscope.symbols.SymbolHit;
import org.leakscope.testing.Required;

/**
 * Every line-table row's address resolves to the file and line, and the inline chain, that binutils'
 * {@code addr2line -f -i} gives (all addresses of a file in one addr2line process): on the corpus's Linux
 * binaries and on a program gcc builds here in each DWARF variant (versions 2, 4, 5; 64-bit DWARF; compressed
 * sections, both the ELF {@code SHF_COMPRESSED} and the older {@code .zdebug_*} form). binutils 2.40's addr2line
 * cannot read 64-bit DWARF, so that variant is checked against LLVM's {@code llvm-addr2line} (same options).
 */
class DwarfAddr2lineTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"dwarf/moz_linux_basic.full", "stackwalk/sentry_crash_linux"})
    void corpusBinariesAgreeWithAddr2line(String file) throws Exception {
        agree(Required.corpusFile(file), "addr2line");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-gdwarf-2", "-gdwarf-4", "-gdwarf-5", "-gdwarf64", "zlib-gabi", "zlib-gnu"})
    void generatedVariantsAgreeWithAddr2line(String variant) throws Exception {
        boolean compress = variant.startsWith("zlib");
        Path bin = Toolchain.build(dir, "inl", Toolchain.INLINED, List.of("-O2", "-g", compress ? "-gdwarf-4"
                : variant), compress ? List.of("--compress-debug-sections=" + variant) : List.of());
        int rows = agree(bin, variant.equals("-gdwarf64") ? "llvm-addr2line" : "addr2line");
        assertTrue(rows >= 8, rows + " rows");
    }

    /** A mingw-w64 PE file: its DWARF by RVA, its CodeView id (from --build-id) as the module's debug id. */
    @Test
    void mingwPeAgreesWithItsAddr2line() throws Exception {
        Path exe = Toolchain.build("x86_64-w64-mingw32-g++", dir, "inl.exe", Toolchain.INLINED, List.of("-O2", "-g",
                "-static", "-Wl,--build-id"), List.of());
        int rows = agree(exe, "x86_64-w64-mingw32-addr2line");
        assertTrue(rows >= 8, rows + " rows");
        DwarfSymbols d = DwarfSymbols.open(exe);
        String id = org.leakscope.symbols.PeSymbolFile.open(exe).debugId();
        assertTrue(id != null && id.length() == 33, id);
        assertEquals(id, d.toSymbolData(false).module().debugId());
        assertEquals("windows", d.toSymbolData(false).module().os());
    }

    /** The inline frames of the inlined malloc call, innermost first, with their call sites. */
    @Test
    void inlinedMallocShowsBothInlineFrames() throws Exception {
        Path bin = Toolchain.build(dir, "inl", Toolchain.INLINED, List.of("-O2", "-g"), List.of());
        DwarfSymbols d = DwarfSymbols.open(bin);
        String nm = Toolchain.run(List.of("nm", bin.toString()), null);
        long grab = nm.lines().filter(l -> l.endsWith(" _ZN4leak4Pool4grabEi")).mapToLong(l -> Long.parseUnsignedLong(
                l.substring(0, l.indexOf(' ')), 16)).findFirst().orElseThrow();
        SymbolHit hit = d.lookup(grab - d.image.loadBase).orElseThrow();
        assertEquals("leak::Pool::grab(int)", hit.function());
        assertEquals(0, hit.functionOffset());
        assertEquals(dir.resolve("inl.cpp").toString(), hit.sourceFile());
        assertEquals(3, hit.sourceLine()); // inside inner(), inlined into middle(), inlined into grab()
        List<InlineFrame> frames = d.inlineFrames(grab - d.image.loadBase);
        // inner() is static: no linkage name, so its DW_AT_name alone, as dump_syms names it
        assertEquals(List.of(new InlineFrame("inner", dir.resolve("inl.cpp").toString(), 4),
                new InlineFrame("middle(int)", dir.resolve("inl.cpp").toString(), 5)), frames);
        assertEquals(d.identity().buildId(), d.elfTable().buildId());
    }

    /** Checks every row; returns how many were checked. */
    private static int agree(Path bin, String tool) throws Exception {
        Toolchain.require(tool);
        DwarfSymbols d = DwarfSymbols.open(bin);
        List<Long> addresses = new ArrayList<>();
        for (int i = 0; i < d.units().headers.size(); i++) {
            LineTable lt = d.units().decoded(i).lines();
            for (int r = 0; lt != null && r + 1 < lt.rows; r++) {
                if (!lt.dropped[r] && !lt.end[r] && lt.address[r] != lt.address[r + 1]) {
                    addresses.add(lt.address[r]);
                }
            }
        }
        StringBuilder in = new StringBuilder();
        addresses.forEach(a -> in.append("0x").append(Long.toHexString(a)).append('\n'));
        List<List<String>> theirs = ask(tool, bin, in.toString());
        assertEquals(addresses.size(), theirs.size(), "addr2line answers");
        int retried = 0;
        for (int i = 0; i < addresses.size(); i++) {
            if (theirs.get(i).size() == 1 && theirs.get(i).get(0).startsWith("??:")) {
                // binutils' addr2line sometimes answers ??:? for an address in a long batch that it answers alone
                theirs.set(i, ask(tool, bin, "0x" + Long.toHexString(addresses.get(i)) + "\n").get(0));
                retried++;
            }
        }
        int mismatches = 0;
        List<String> examples = new ArrayList<>();
        for (int i = 0; i < addresses.size(); i++) {
            long rva = addresses.get(i) - d.image.loadBase;
            List<String> ours = new ArrayList<>();
            SymbolHit h = d.lookup(rva).orElse(null);
            ours.add(h == null || h.sourceFile() == null ? "??:0" : h.sourceFile() + ":" + (h.sourceLine() == null ? 0
                    : h.sourceLine()));
            for (InlineFrame f : d.inlineFrames(rva)) {
                ours.add((f.callFile() == null ? "??" : f.callFile()) + ":"
                        + (f.callLine() == null ? 0 : f.callLine()));
            }
            if (!ours.equals(theirs.get(i))) {
                mismatches++;
                if (examples.size() < 10) {
                    examples.add(Long.toHexString(addresses.get(i)) + ": ours " + ours + ", addr2line "
                            + theirs.get(i));
                }
            }
        }
        System.out.println(bin.getFileName() + ": " + addresses.size() + " line-table rows, " + mismatches
                + " differ from " + tool + " (" + retried + " asked again alone)"
                + (examples.isEmpty() ? "" : "\n  " + String.join("\n  ", examples)));
        assertEquals(0, mismatches, String.join("\n", examples));
        return addresses.size();
    }

    /** The tool's answers, one list of {@code file:line} (innermost first) per address. */
    private static List<List<String>> ask(String tool, Path bin, String addresses) throws Exception {
        String out = Toolchain.run(List.of(tool, "-f", "-i", "-a", "-e", bin.toString()), addresses);
        List<List<String>> theirs = new ArrayList<>();
        for (String line : out.lines().toList()) {
            if (line.startsWith("0x")) {
                theirs.add(new ArrayList<>());
            } else if (line.contains(":") && !theirs.isEmpty()) {
                theirs.get(theirs.size() - 1).add(location(line));
            }
        }
        return theirs;
    }

    /** {@code file:line}, without addr2line's {@code (discriminator N)}. */
    private static String location(String line) {
        int d = line.indexOf(" (discriminator");
        return d < 0 ? line : line.substring(0, d);
    }
}
