package org.leakscope.symbols.pdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.model.InlinedCall;
import org.leakscope.symbols.SymbolHit;
import org.leakscope.testing.Required;

/**
 * The inline chain {@link PdbSymbols#lookup} gives at every address inside every inline site's code ranges of
 * the corpus x64 PDB, against {@code llvm-symbolizer-14 --inlines} (Debian package llvm-14; its native PDB reader)
 * on the program the PDB describes: function names innermost first, each frame's file and line.
 *
 * <p>Two rules of llvm-symbolizer 14's PDB reader differ from the annotation format (as llvm-pdbutil dumps it and
 * LLVM's own writer, MCCodeView, encodes it), and the addresses where they show are counted apart:
 * <ul>
 * <li>it finds a site at an address only when a range closed by an explicit code length holds it
 *     ({@code inlineSiteContainsAddress} in NativeFunctionSymbol.cpp); MSVC closes most ranges implicitly, where
 *     the next one begins, and there llvm-symbolizer gives the outer part of our chain. Those addresses must be
 *     exactly that, and its frame count at every address must be what that rule predicts from llvm-pdbutil's
 *     ranges ({@code code end});</li>
 * <li>for a range opened together with its length (ChangeCodeLengthAndCodeOffset) and followed by a line change,
 *     it reports the line after that change, the line of the site's next range; ours is the line in effect when
 *     the range opens.</li>
 * </ul>
 */
class PdbInlineLlvmTest {
    private static final String SYMBOLIZER = "llvm-symbolizer-14";
    private static final String PDBUTIL = "llvm-pdbutil-14";
    private static final Pattern CODE_END =
            Pattern.compile("code 0x([0-9A-F]+) \\(\\+0x[0-9A-F]+\\) code end 0x([0-9A-F]+)");
    private static final long IMAGE_BASE = 0x1_4000_0000L;

    @TempDir
    Path tmp;

    /** One frame as both tools print it. */
    private record Frame(String function, String file, int line) {
        @Override
        public String toString() {
            return function + " " + file + ":" + line;
        }
    }

    /** What the test reads from the PDB with the production decoder: addresses and what to expect there. */
    private static final class Sites {
        final TreeSet<Long> rvas = new TreeSet<>();
        /** Each procedure's name as its symbol spells it (what llvm-symbolizer prints), by RVA. */
        final Map<Long, String> procedures = new HashMap<>();
        /**
         * For an address in a site's explicitly closed range that another range of the site follows, "rva:line" (our
         * line) to the line of that next range: what llvm-symbolizer 14 may say instead (see the class comment).
         */
        final Map<String, Integer> nextLines = new HashMap<>();
        /**
         * How many sites llvm-symbolizer 14 finds at each address by its own rule: at each level the first site with
         * an explicitly closed range (ChangeCodeLengthAndCodeOffset, "code end" in llvm-pdbutil's dump) holding it.
         */
        final Map<Long, Integer> llvmDepths = new HashMap<>();
    }

    @Test
    void everyAddressOfEveryInlineRangeAgreesWithLlvmSymbolizer() throws Exception {
        Path pdb = Required.corpusFile("pdb/bp_dump_syms_regtest64.pdb");
        Path exe = Required.corpusFile("pdb/moz_dump_syms_regtest64.exe");
        // llvm-symbolizer finds the PDB by the name in the program's CodeView record, beside the program
        Files.copy(exe, tmp.resolve("dump_syms_regtest64.exe"));
        Files.copy(pdb, tmp.resolve("dump_syms_regtest64.pdb"));
        Sites sites = sites(pdb, explicitRanges(pdb));
        List<Long> rvas = new ArrayList<>(sites.rvas);
        List<List<Frame>> theirs = llvm(tmp.resolve("dump_syms_regtest64.exe"), rvas);
        int exact = 0;
        int nextLine = 0;
        int truncated = 0;
        int inlineFrames = 0;
        int llvmFrames = 0;
        int sameFrames = 0;
        List<String> differences = new ArrayList<>();
        try (PdbSymbols symbols = PdbSymbols.open(pdb)) {
            for (int i = 0; i < rvas.size(); i++) {
                long rva = rvas.get(i);
                SymbolHit hit = symbols.lookup(rva).orElseThrow();
                List<Frame> ours = ours(hit, sites.procedures.get(rva - hit.functionOffset()));
                List<Frame> llvm = theirs.get(i);
                inlineFrames += ours.size() - 1;
                for (int k = 2; k <= llvm.size(); k++) { // inlined frames from the outside in
                    llvmFrames++;
                    sameFrames += ours.get(ours.size() - k).equals(llvm.get(llvm.size() - k)) ? 1 : 0;
                }
                assertEquals(sites.llvmDepths.get(rva), llvm.size() - 1,
                        String.format("0x%X: llvm-symbolizer's inline frames as its rule predicts: %s", rva, llvm));
                assertTrue(ours.size() > 1, String.format("0x%X is in an inline range: %s", rva, ours));
                if (same(ours, llvm, null, rva)) {
                    exact++;
                } else if (same(ours, llvm, sites.nextLines, rva)) {
                    nextLine++;
                } else if (llvm.size() < ours.size()
                        && same(ours.subList(ours.size() - llvm.size(), ours.size()), llvm, sites.nextLines, rva)
                        && llvm.size() - 1 == sites.llvmDepths.get(rva)) {
                    truncated++;
                } else if (differences.size() < 20) {
                    differences.add(String.format("0x%X ours %s llvm %s", rva, ours, llvm));
                }
            }
            assertEquals(List.of(), symbols.problems());
        }
        System.out.printf("PdbInlineLlvmTest: %d addresses in inline ranges (%d inline frames): %d agree with %s "
                + "frame for frame, %d but for taking the next range's line, %d where it drops inner frames%n",
                rvas.size(), inlineFrames, exact, SYMBOLIZER, nextLine, truncated);
        System.out.printf("PdbInlineLlvmTest: of its %d inline frames, %d name the same function, file and line%n",
                llvmFrames, sameFrames);
        assertEquals(List.of(), differences);
        // measured: 7515 addresses, 12261 inline frames; 1368 exact, 512 next range's line, 5635 dropped frames
        assertEquals(7515, rvas.size());
        assertEquals(12261, inlineFrames);
        assertEquals(rvas.size(), exact + nextLine + truncated);
    }

    /** The inline ranges of every procedure of the PDB, as the production decoder reads them. */
    private static Sites sites(Path pdb, List<List<long[]>> explicit) throws IOException {
        int siteNumber = 0;
        Sites out = new Sites();
        try (MsfFile msf = MsfFile.open(pdb)) {
            DbiStream dbi = DbiStream.read(msf);
            AddressMap addresses = AddressMap.read(msf, dbi);
            for (PdbModule mod : dbi.modules()) {
                ModuleSymbols m = ModuleSymbols.read(msf, mod);
                Map<Long, Long> startLines = new HashMap<>();
                m.inlinees.forEach(l -> startLines.putIfAbsent(l.inlinee(), l.line()));
                for (ModuleSymbols.Proc p : m.procs) {
                    out.procedures.putIfAbsent(addresses.rva(p.section(), p.offset()), p.procedure().name());
                    List<ModuleSymbols.InlineSite> sites = p.inlineSites();
                    List<List<long[]>> procExplicit = explicit.subList(siteNumber, siteNumber + sites.size());
                    siteNumber += sites.size();
                    for (int i = 0; i < sites.size(); i++) {
                        ModuleSymbols.InlineSite s = sites.get(i);
                        Long start = startLines.get(s.inlinee());
                        for (int k = 0; k < s.lines().size(); k++) {
                            long[] r = s.lines().get(k);
                            boolean explicitlyClosed = procExplicit.get(i).stream().anyMatch(e -> e[0] == r[0]);
                            for (long o = r[0]; o < r[0] + r[1]; o++) {
                                long rva = addresses.rva(p.section(), p.offset() + o);
                                out.rvas.add(rva);
                                out.llvmDepths.putIfAbsent(rva, llvmDepth(sites, procExplicit, o));
                                if (explicitlyClosed && k + 1 < s.lines().size() && start != null) {
                                    out.nextLines.put(rva + ":" + (start + r[2]),
                                            (int) (start + s.lines().get(k + 1)[2]));
                                }
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    /** llvm-symbolizer 14's rule (NativeFunctionSymbol::findInlineFramesByVA) on the sites of one procedure. */
    private static int llvmDepth(List<ModuleSymbols.InlineSite> sites, List<List<long[]>> explicit, long offset) {
        int depth = 0;
        int current = -1;
        for (int i = 0; i < sites.size(); i++) {
            if (sites.get(i).parent() == current
                    && explicit.get(i).stream().anyMatch(r -> offset >= r[0] && offset < r[1])) {
                depth++;
                current = i;
            }
        }
        return depth;
    }

    /** Each S_INLINESITE's explicitly closed ranges ([code, code end)) in llvm-pdbutil-14's dump, in record order. */
    private static List<List<long[]>> explicitRanges(Path pdb) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(PDBUTIL, "dump", "-symbols", pdb.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            Required.that(false, PDBUTIL + " is not installed (apt-get install llvm-14)");
            throw e;
        }
        String dump = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), PDBUTIL + " finished");
        assertEquals(0, p.exitValue(), PDBUTIL + " exit status");
        List<List<long[]>> out = new ArrayList<>();
        boolean inSite = false;
        for (String l : dump.lines().toList()) {
            if (l.matches(" +\\d+ \\| S_.*")) {
                inSite = l.contains("| S_INLINESITE ");
                if (inSite) {
                    out.add(new ArrayList<>());
                }
                continue;
            }
            Matcher m = CODE_END.matcher(l);
            if (inSite && m.find()) {
                out.get(out.size() - 1).add(new long[] {Long.parseLong(m.group(1), 16),
                    Long.parseLong(m.group(2), 16)});
            }
        }
        return out;
    }

    /**
     * Our chain, innermost first; the procedure's own frame last, named as its symbol spells it (lookups name it
     * as dump_syms does, with argument types: PdbGoldenTest checks those). No file is {@code ??:0}, as LLVM says.
     */
    private static List<Frame> ours(SymbolHit h, String procedure) {
        List<Frame> out = new ArrayList<>();
        for (InlinedCall c : h.inlined()) {
            out.add(frame(c.function(), c.sourceFile(), c.sourceLine()));
        }
        out.add(frame(procedure, h.sourceFile(), h.sourceLine()));
        return out;
    }

    private static Frame frame(String function, String file, Integer line) {
        return new Frame(function, file == null ? "??" : file, line == null ? 0 : line);
    }

    /**
     * Frame by frame. Where the procedure has no line record llvm-symbolizer names it by its public symbol,
     * through LLVM's own undecorator ({@code type_info::`scalar deleting dtor'(unsigned int)}), so there only the
     * missing line is compared. With {@code nextLines}, an inlined frame may have the line of its site's next range
     * in LLVM's answer (see the class comment).
     */
    private static boolean same(List<Frame> ours, List<Frame> llvm, Map<String, Integer> nextLines, long rva) {
        if (ours.size() != llvm.size()) {
            return false;
        }
        int last = ours.size() - 1;
        Frame o = ours.get(last);
        Frame l = llvm.get(last);
        if (o.file().equals("??") ? !l.file().equals("??") || l.line() != 0 : !o.equals(l)) {
            return false;
        }
        for (int i = 0; i < last; i++) {
            o = ours.get(i);
            l = llvm.get(i);
            boolean lineExcused = nextLines != null
                    && Integer.valueOf(l.line()).equals(nextLines.get(rva + ":" + o.line()));
            if (!o.equals(l) && !(lineExcused && o.function().equals(l.function()) && o.file().equals(l.file()))) {
                return false;
            }
        }
        return true;
    }

    /** llvm-symbolizer's frames for each RVA, innermost first. */
    private static List<List<Frame>> llvm(Path exe, List<Long> rvas) throws IOException, InterruptedException {
        Path in = exe.resolveSibling("addresses.txt");
        StringBuilder sb = new StringBuilder();
        for (long rva : rvas) {
            sb.append(String.format("0x%X%n", IMAGE_BASE + rva));
        }
        Files.writeString(in, sb);
        Process p;
        try {
            p = new ProcessBuilder(SYMBOLIZER, "--inlines", "--obj=" + exe.getFileName())
                    .directory(exe.getParent().toFile()).redirectInput(in.toFile()).redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            Required.that(false, SYMBOLIZER + " is not installed (apt-get install llvm-14)");
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), SYMBOLIZER + " finished");
        assertEquals(0, p.exitValue(), SYMBOLIZER + " exit status:\n" + out);
        List<List<Frame>> result = new ArrayList<>();
        for (String block : out.split("\n\n")) {
            String[] lines = block.strip().split("\n");
            List<Frame> frames = new ArrayList<>();
            for (int i = 0; i + 1 < lines.length; i += 2) {
                String where = lines[i + 1];
                String[] parts = where.split(":");
                // file:line:column; the file itself holds a drive colon (f:\dd\...)
                int line = Integer.parseInt(parts[parts.length - 2]);
                String file = where.substring(0, where.lastIndexOf(':', where.lastIndexOf(':') - 1));
                frames.add(new Frame(lines[i], file, line));
            }
            result.add(frames);
        }
        assertEquals(rvas.size(), result.size(), "one answer per address");
        return result;
    }
}
