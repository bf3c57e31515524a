package org.leakscope.symbols.pdb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.leakscope.testing.Required;

/**
 * Every S_INLINESITE of the corpus x64 PDB, its inlinee's name from the IPI stream, and every code range its
 * binary annotations give, against {@code llvm-pdbutil-14 dump -symbols} (Debian package llvm-14), which prints
 * each annotation with the running code offset and line.
 */
class InlineSiteLlvmTest {
    private static final String PDBUTIL = "llvm-pdbutil-14";
    private static final Pattern CODE = Pattern.compile("\\bcode 0x([0-9A-F]+) \\(\\+0x[0-9A-F]+\\)");
    private static final Pattern END = Pattern.compile("code end 0x([0-9A-F]+)");
    private static final Pattern LINE = Pattern.compile("\\bline (-?\\d+) \\(");
    private static final Pattern INLINEE = Pattern.compile("inlinee = 0x([0-9A-F]+) \\((.*)\\), parent");

    @Test
    void everySiteAndRangeAgreesWithLlvmPdbutil() throws Exception {
        Path pdb = Required.corpusFile("pdb/bp_dump_syms_regtest64.pdb");
        List<String> want = llvm(run(pdb));
        List<String> got = new ArrayList<>();
        try (MsfFile msf = MsfFile.open(pdb)) {
            TypeStream ipi = TypeStream.open(msf.stream(TypedProcedureNames.IPI));
            for (PdbModule mod : DbiStream.read(msf).modules()) {
                for (ModuleSymbols.Proc p : ModuleSymbols.read(msf, mod).procs) {
                    for (ModuleSymbols.InlineSite s : p.inlineSites()) {
                        got.add(String.format("site 0x%X %s", s.inlinee(), InlineeNames.name(ipi, s.inlinee())));
                        for (long[] r : s.lines()) {
                            got.add(String.format("  code 0x%X length 0x%X line %d", r[0], r[1], r[2]));
                        }
                    }
                }
            }
        }
        assertEquals(String.join("\n", want), String.join("\n", got));
        // measured: 158 sites, 1019 ranges on bp_dump_syms_regtest64.pdb
        assertEquals(158, got.stream().filter(l -> l.startsWith("site")).count());
        assertEquals(1019, got.stream().filter(l -> l.startsWith("  code")).count());
    }

    /**
     * llvm-pdbutil's annotations replayed into ranges: each code change starts one at the running line; its
     * length is an explicit code end, else up to the next range, else 0.
     */
    private static List<String> llvm(String dump) {
        List<String> out = new ArrayList<>();
        List<long[]> ranges = new ArrayList<>();
        boolean inSite = false;
        long line = 0;
        for (String l : dump.lines().toList()) {
            if (l.matches(" +\\d+ \\| S_.*")) {
                flush(out, ranges);
                inSite = l.contains("| S_INLINESITE ") || l.contains("| S_INLINESITE2 ");
                line = 0;
                continue;
            }
            if (!inSite) {
                continue;
            }
            Matcher site = INLINEE.matcher(l);
            if (site.find()) {
                out.add("site 0x" + site.group(1) + " " + site.group(2));
                continue;
            }
            Matcher lm = LINE.matcher(l);
            if (lm.find()) {
                line = Long.parseLong(lm.group(1));
            }
            Matcher cm = CODE.matcher(l);
            if (cm.find()) {
                long code = Long.parseLong(cm.group(1), 16);
                if (!ranges.isEmpty() && ranges.get(ranges.size() - 1)[1] < 0) {
                    ranges.get(ranges.size() - 1)[1] = code - ranges.get(ranges.size() - 1)[0];
                }
                Matcher em = END.matcher(l);
                long length = em.find() ? Long.parseLong(em.group(1), 16) - code : -1;
                ranges.add(new long[] {code, length, line});
            }
        }
        flush(out, ranges);
        return out;
    }

    private static void flush(List<String> out, List<long[]> ranges) {
        for (long[] r : ranges) {
            out.add(String.format("  code 0x%X length 0x%X line %d", r[0], Math.max(r[1], 0), r[2]));
        }
        ranges.clear();
    }

    private static String run(Path pdb) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(PDBUTIL, "dump", "-symbols", pdb.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            Required.that(false, PDBUTIL + " is not installed (apt-get install llvm-14)");
            throw e;
        }
        Path out = Files.createTempFile("pdbutil", ".txt");
        try {
            try (var sink = Files.newOutputStream(out)) {
                p.getInputStream().transferTo(sink);
            }
            assertEquals(true, p.waitFor(120, TimeUnit.SECONDS), PDBUTIL + " finished");
            assertEquals(0, p.exitValue(), PDBUTIL + " exit status");
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
