package org.leakscope.analysis;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Limits;
import org.leakscope.model.Problem;
import org.leakscope.symbols.ElfSymbolFile;
import org.leakscope.symbols.PeImageInfo;
import org.leakscope.symbols.PeSymbolFile;
import org.leakscope.symbols.SymbolStore;
import org.leakscope.symbols.X64Unwind;
import org.leakscope.symbols.breakpad.SymbolData;
import org.leakscope.symbols.dwarf.CallFrameInfo;
import org.leakscope.symbols.dwarf.DumpSymsStyle;
import org.leakscope.symbols.dwarf.DwarfSymbols;
import org.leakscope.symbols.pdb.DumpSymsFlavor;
import org.leakscope.symbols.pdb.PdbSymbols;
import org.leakscope.symbols.store.SafeNames;

/**
 * dumpsyms' operation: a Breakpad {@code .sym} per module from its PDB and its PE file (FILE, FUNC, line records,
 * PUBLIC and STACK WIN from the PDB; INFO CODE_ID and, for x64, STACK CFI from the PE), or from a PE alone.
 * A PDB and a PE given together are paired by debug id (the PE's CodeView record against the PDB's GUID and
 * age), never by name.
 */
public final class SymbolDumps {
    private SymbolDumps() {
    }

    /**
     * Which dump_syms' conventions the records of a PDB follow where the two tools differ (names of functions and
     * publics, parameter sizes, FILE numbering and line records, STACK WIN order; see the symbols module's
     * {@code DumpSymsFlavor}). A PE alone is written the same way by both.
     */
    public enum Flavor {
        /** Breakpad's dump_syms (Microsoft DIA): what Breakpad's own processor was written against. */
        BREAKPAD,
        /**
         * mozilla's dump_syms (Rust), what Mozilla's and Sentry's symbol servers hold: names as msvc-demangler-rs
         * spells them, a fastcall's full parameter size, and the catch-all public {@code <unknown in BINARY>}.
         */
        MOZILLA
    }

    /** {@link #dump(List, Limits, Flavor)} in {@link Flavor#BREAKPAD}'s conventions. */
    public static List<ModuleDump> dump(List<Path> files, Limits limits) throws IOException {
        return dump(files, limits, Flavor.BREAKPAD);
    }

    /**
     * One module's symbol data.
     *
     * @param data     the records, as dump_syms writes them
     * @param sources  the files they were read from (the PDB first)
     * @param warnings damage skipped while reading (a module of the PDB, a PE's unwind data), for people
     */
    public record ModuleDump(SymbolData data, List<Path> sources, List<String> warnings) {
        /** Copies the lists. */
        public ModuleDump {
            sources = List.copyOf(sources);
            warnings = List.copyOf(warnings);
        }

        /**
         * Where a Breakpad symbol store files this module: {@code root/<debug file>/<debug id>/<name>.sym}, the
         * name being the debug file without {@code .pdb}. Null when the debug file or id could name something
         * outside the store (they come from the files read).
         */
        public Path storePath(Path root) {
            String file = SafeNames.fileName(data.module().debugFile());
            String id = SafeNames.debugId(data.module().debugId());
            if (file == null || id == null || !file.equals(data.module().debugFile())) {
                return null;
            }
            String stem = file.toLowerCase(Locale.ROOT).endsWith(".pdb") ? file.substring(0, file.length() - 4) : file;
            return root.resolve(file).resolve(id).resolve(stem + ".sym");
        }
    }

    /**
     * The modules of the files, each PDB with the PE of the same build when one is given.
     *
     * @param files  PDB and PE files, in any order
     * @param limits caps on what the files may make Leakscope allocate
     * @param flavor which dump_syms' conventions the PDB records follow
     * @return one dump per PDB and per PE without a PDB, in the order the files were given
     * @throws InputFormatException when a file is neither, or is damaged beyond reading; when a PE and a PDB
     *                              given as a pair (the only two files) are not the same build
     */
    public static List<ModuleDump> dump(List<Path> files, Limits limits, Flavor flavor) throws IOException {
        return dump(files, limits, flavor, false);
    }

    /**
     * The same, ELF files included: their DWARF (FILE, FUNC, lines, PUBLIC from the symbol table, with
     * {@code inlines} INLINE and INLINE_ORIGIN) and call frame information (STACK CFI).
     *
     * @param inlines write INLINE and INLINE_ORIGIN records for ELF files (dump_syms' {@code --inlines})
     */
    public static List<ModuleDump> dump(List<Path> files, Limits limits, Flavor flavor, boolean inlines)
            throws IOException {
        return dump(files, limits, flavor, inlines, (Settings) null);
    }

    /**
     * The same; an ELF file without DWARF of its own (stripped) is read from its separate debug file of the same
     * build id, looked for along {@code settings}' symbol path, under {@code /usr/lib/debug} and on the servers of
     * {@code DEBUGINFOD_URLS} (see the symbols module's {@code DebugFileLocator}); null: not looked for.
     */
    public static List<ModuleDump> dump(List<Path> files, Limits limits, Flavor flavor, boolean inlines,
            Settings settings) throws IOException {
        try (SymbolStore store = settings == null ? null : settings.openSymbols()) {
            return dumpWith(files, limits, flavor, inlines, store);
        }
    }

    private static List<ModuleDump> dumpWith(List<Path> files, Limits limits, Flavor flavor, boolean inlines,
            SymbolStore store) throws IOException {
        List<Path> pdbs = new ArrayList<>();
        List<Path> pes = new ArrayList<>();
        List<Path> elfs = new ArrayList<>();
        for (Path p : files) {
            if (PdbSymbols.isPdb(p)) {
                pdbs.add(p);
            } else if (PeSymbolFile.isPe(p)) {
                pes.add(p);
            } else if (ElfSymbolFile.isElf(p)) {
                elfs.add(p);
            } else {
                throw InputFormatException.atOffset(p.toString(), 0, "a PDB (MSF 7.00), a PE file (MZ) or an ELF file",
                        "none of them");
            }
        }
        List<PeImageInfo> peInfo = new ArrayList<>();
        for (Path p : pes) {
            peInfo.add(PeImageInfo.read(p, limits));
        }
        List<ModuleDump> out = new ArrayList<>();
        boolean[] paired = new boolean[pes.size()];
        for (Path pdbPath : pdbs) {
            try (PdbSymbols pdb = PdbSymbols.open(pdbPath)) {
                String id = pdb.debugId();
                int pe = -1;
                for (int i = 0; i < pes.size(); i++) {
                    if (!paired[i] && id.equalsIgnoreCase(peInfo.get(i).debugId())) {
                        pe = i;
                        break;
                    }
                }
                if (pe < 0 && pdbs.size() == 1 && pes.size() == 1) {
                    PeImageInfo only = peInfo.get(0);
                    throw InputFormatException.atOffset(pes.get(0).toString(), 0, "the build of " + pdbPath
                            + " (debug id " + id + ")", only.codeView() == null ? "no CodeView record"
                                    : "a CodeView record naming " + only.pdbName() + " " + only.debugId());
                }
                if (pe >= 0) {
                    paired[pe] = true;
                }
                out.add(withPdb(pdb, pdbPath, pe < 0 ? null : pes.get(pe), pe < 0 ? null : peInfo.get(pe), limits,
                        flavor));
            }
        }
        for (Path elf : elfs) {
            out.add(elf(elf, flavor, inlines, store));
        }
        for (int i = 0; i < pes.size(); i++) {
            if (!paired[i]) {
                out.add(peAlone(pes.get(i), peInfo.get(i), limits, flavor, inlines));
            }
        }
        return out;
    }

    private static ModuleDump withPdb(PdbSymbols pdb, Path pdbPath, Path pePath, PeImageInfo pe, Limits limits,
            Flavor flavor) throws IOException {
        // mozilla's catch-all public names the binary: the PE when there is one
        SymbolData d = flavor == Flavor.MOZILLA ? pdb.toSymbolData(DumpSymsFlavor.MOZILLA,
                String.valueOf((pePath == null ? pdbPath : pePath).getFileName())) : pdb.toSymbolData();
        List<String> warnings = new ArrayList<>();
        pdb.problems().stream().map(Problem::message).forEach(warnings::add);
        if (pe == null) {
            return new ModuleDump(d, List.of(pdbPath), warnings);
        }
        pe.problems().stream().map(Problem::message).forEach(warnings::add);
        String debugFile = pe.pdbName() == null || pe.pdbName().isEmpty() ? d.module().debugFile() : pe.pdbName();
        SymbolData.Module m = new SymbolData.Module(d.module().os(), d.module().cpu(), d.module().debugId(), debugFile);
        List<SymbolData.StackCfi> cfi = stackCfi(pePath, pe, limits, warnings);
        return new ModuleDump(new SymbolData(m, List.of(codeIdLine(pePath, pe)), d.files(), d.origins(), d.functions(),
                d.publics(), d.stackWin(), cfi), List.of(pdbPath, pePath), warnings);
    }

    private static ModuleDump peAlone(Path pePath, PeImageInfo pe, Limits limits, Flavor flavor, boolean inlines)
            throws IOException {
        DwarfSymbols dwarf = DwarfSymbols.open(pePath);
        if (dwarf.hasDebugInfo()) { // a mingw-w64 build with -g: its DWARF, and STACK CFI from the x64 unwind data
            SymbolData d = dwarf.toSymbolData(inlines, flavor == Flavor.MOZILLA ? DumpSymsStyle.MOZILLA
                    : DumpSymsStyle.BREAKPAD);
            List<String> warnings = new ArrayList<>();
            dwarf.problems().stream().map(Problem::message).forEach(warnings::add);
            pe.problems().stream().map(Problem::message).forEach(warnings::add);
            List<SymbolData.StackCfi> cfi = stackCfi(pePath, pe, limits, warnings);
            return new ModuleDump(new SymbolData(d.module(), d.info(), d.files(), d.origins(), d.functions(),
                    d.publics(), d.stackWin(), cfi), List.of(pePath), warnings);
        }
        if (pe.codeView() == null) {
            throw InputFormatException.atOffset(pePath.toString(), 0,
                    "a CodeView debug record (the debug id a symbol file is filed and matched by)", "none");
        }
        List<String> warnings = new ArrayList<>();
        pe.problems().stream().map(Problem::message).forEach(warnings::add);
        SymbolData.Module m = new SymbolData.Module("windows", pe.cpu() == null ? "unknown" : pe.cpu(), pe.debugId(),
                pe.pdbName());
        List<SymbolData.StackCfi> cfi = stackCfi(pePath, pe, limits, warnings);
        return new ModuleDump(new SymbolData(m, List.of(codeIdLine(pePath, pe)), List.of(), List.of(), List.of(),
                List.of(), List.of(), cfi), List.of(pePath), warnings);
    }

    /** An ELF file's DWARF and call frame information, as the chosen dump_syms writes them. */
    private static ModuleDump elf(Path path, Flavor flavor, boolean inlines, SymbolStore store) throws IOException {
        DwarfSymbols dwarf = DwarfSymbols.open(path);
        List<String> warnings = new ArrayList<>();
        Path debug = null;
        if (!dwarf.hasDebugInfo() && store != null) {
            int known = store.problems().size();
            debug = store.separateDebugFile(path).orElse(null);
            store.problems().stream().skip(known).map(Problem::message).forEach(warnings::add);
            if (debug != null) {
                dwarf = DwarfSymbols.open(debug);
            }
        }
        SymbolData d = dwarf.toSymbolData(inlines, flavor == Flavor.MOZILLA ? DumpSymsStyle.MOZILLA
                : DumpSymsStyle.BREAKPAD);
        if (debug != null) {
            d = ofProgram(d, path.getFileName().toString(), debug.getFileName().toString());
        }
        CallFrameInfo cfi = CallFrameInfo.open(path);
        List<SymbolData.StackCfi> rules = cfi.stackCfi();
        if (flavor == Flavor.MOZILLA) { // the same rules; mozilla writes the CFA's first, Breakpad sorts them by name
            rules = rules.stream().map(r -> new SymbolData.StackCfi(r.address(), r.size(), cfaFirst(r.rules())))
                    .toList();
        }
        dwarf.problems().stream().map(Problem::message).forEach(warnings::add);
        cfi.problems().stream().map(Problem::message).forEach(warnings::add);
        return new ModuleDump(new SymbolData(d.module(), d.info(), d.files(), d.origins(), d.functions(), d.publics(),
                d.stackWin(), rules), debug == null ? List.of(path) : List.of(path, debug), warnings);
    }

    /**
     * Records read from a separate debug file, named for the program as dump_syms names them when given the
     * debug file's folder: the MODULE line and mozilla's section publics say {@code program}, not the debug file's
     * name ({@code cdef….debug} in a build-id tree). The ids are the same: the debug file was matched by them.
     */
    private static SymbolData ofProgram(SymbolData d, String program, String debugName) {
        SymbolData.Module m = new SymbolData.Module(d.module().os(), d.module().cpu(), d.module().debugId(), program);
        String inDebug = " in " + debugName + ">";
        List<SymbolData.Public> publics = d.publics().stream().map(p -> p.name().endsWith(inDebug)
                ? new SymbolData.Public(p.multiple(), p.address(), p.paramSize(),
                        p.name().substring(0, p.name().length() - inDebug.length()) + " in " + program + ">")
                : p).toList();
        return new SymbolData(m, d.info(), d.files(), d.origins(), d.functions(), publics, d.stackWin(),
                d.stackCfi());
    }

    /** {@code $rbp: .cfa -16 + ^ .cfa: $rsp 16 +} as {@code .cfa: $rsp 16 + $rbp: .cfa -16 + ^}. */
    static String cfaFirst(String rules) {
        List<StringBuilder> each = new ArrayList<>();
        for (String token : rules.split(" ")) {
            if (token.endsWith(":")) {
                each.add(new StringBuilder(token));
            } else if (each.isEmpty()) {
                return rules; // not the rule syntax: left as it is
            } else {
                each.get(each.size() - 1).append(' ').append(token);
            }
        }
        List<String> ordered = new ArrayList<>();
        each.stream().map(StringBuilder::toString).filter(r -> r.startsWith(".cfa:")).forEach(ordered::add);
        each.stream().map(StringBuilder::toString).filter(r -> !r.startsWith(".cfa:")).forEach(ordered::add);
        return String.join(" ", ordered);
    }

    private static String codeIdLine(Path pePath, PeImageInfo pe) {
        return "CODE_ID " + pe.symCodeId() + " " + pePath.getFileName();
    }

    /** x64 unwind data as STACK CFI; other machines have none in the PE (x86 unwinding is the PDB's STACK WIN). */
    private static List<SymbolData.StackCfi> stackCfi(Path pePath, PeImageInfo pe, Limits limits, List<String> warnings)
            throws IOException {
        if (pe.machine() != PeImageInfo.MACHINE_AMD64) {
            return List.of();
        }
        try (X64Unwind unwind = X64Unwind.open(pePath, limits)) {
            List<SymbolData.StackCfi> cfi = unwind.stackCfi();
            unwind.problems().stream().map(Problem::message).forEach(warnings::add);
            return cfi;
        }
    }
}
