package org.leakscope.symbols.pdb;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.leakscope.model.InlinedCall;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Problem;
import org.leakscope.symbols.BuildIdentity;
import org.leakscope.symbols.ImageSymbols;
import org.leakscope.symbols.SymbolHit;
import org.leakscope.symbols.breakpad.SymbolData;

/**
 * The functions, lines and publics of one PDB file, opened lazily (only the stream directory at open), looked
 * up by module offset (RVA).
 *
 * <p>A lookup finds the module that contributed the address (DBI section contributions), reads that module's
 * symbol stream and line tables, and keeps the result in a small cache; addresses no function covers fall back
 * to the nearest public symbol at or below them in the same section. A binary reordered after linking (OMAP)
 * is looked up through an index of every module, built on first use. A module whose stream is damaged is
 * skipped and recorded in {@link #problems()}; damage in the container or the DBI stream is an
 * {@link InputFormatException}; damage in the section contributions or the public symbols is recorded too, and
 * lookups then go through the index of every module, or find no public names.
 */
public final class PdbSymbols implements ImageSymbols, AutoCloseable {
    private static final int MACHINE_I386 = 0x14c;
    private static final int MACHINE_AMD64 = 0x8664;
    private static final int MACHINE_ARM64 = 0xaa64;
    private static final int MODULE_CACHE = 256;
    /** Unnamed inlinees reported; past this, damage is already plain. */
    private static final int MAX_INLINEE_PROBLEMS = 16;

    private final Path path;
    private final MsfFile msf;
    private final List<Problem> problems = new ArrayList<>();
    private PdbInfo info;
    private DbiStream dbi;
    private AddressMap addresses;
    private StringTable names;
    private ProcedureNames procedureNames;
    private long[] contributionStarts;
    private long[] contributionEnds;
    private int[] contributionModules;
    private ModuleIndex everything;
    /** Every source file name of every module's checksum table, in module order (filled with everything). */
    private final java.util.Set<String> allFiles = new java.util.LinkedHashSet<>();
    private long[] publicStarts;
    private Publics.Public[] publicsByAddress;
    /** The IPI stream and the TPI's names, for inlinee names (read on the first inline site looked up). */
    private TypeStream ipi;
    private TypeNames tpiNames;
    private boolean idStreamsRead;
    private int unnamedInlinees;
    private final Map<Long, String> inlineeNames = new HashMap<>();
    /** Printed (demangled) public names, filled as lookups need them. */
    private String[] publicNames;
    private final Map<Integer, ModuleIndex> modules = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, ModuleIndex> eldest) {
            return size() > MODULE_CACHE;
        }
    };

    private PdbSymbols(Path path, MsfFile msf) {
        this.path = path;
        this.msf = msf;
    }

    /**
     * Opens a PDB (MSF 7.00): reads its stream directory only.
     *
     * @throws org.leakscope.model.InputFormatException when the file is not one, or is damaged
     */
    public static PdbSymbols open(Path pdb) throws IOException {
        return new PdbSymbols(pdb, MsfFile.open(pdb));
    }

    /** True when the file starts with the MSF 7.00 (or 2.00) signature. */
    public static boolean isPdb(Path p) {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(p)) {
            byte[] head = in.readNBytes(40);
            return MsfFile.hasMagic(head, head.length);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private synchronized PdbInfo info() {
        if (info == null) {
            info = PdbInfo.read(msf);
        }
        return info;
    }

    private synchronized DbiStream dbi() {
        if (dbi == null) {
            dbi = DbiStream.read(msf);
        }
        return dbi;
    }

    private synchronized AddressMap addresses() {
        if (addresses == null) {
            addresses = AddressMap.read(msf, dbi());
            names = StringTable.read(msf, info());
            procedureNames = TypedProcedureNames.forPdb(msf, info());
        }
        return addresses;
    }

    /** Debug id = GUID + age in Breakpad's form; code id and sizes null/empty (a PDB does not know them). */
    @Override
    public BuildIdentity identity() {
        return new BuildIdentity(debugId(), null, null, List.of(), null);
    }

    /** GUID and the DBI stream's age, as Breakpad prints them ({@code 72E103A85CB249078B76B2E7C06257B13}). */
    public String debugId() {
        return info().debugId(dbi().age());
    }

    /** Breakpad's name for the CPU: {@code x86}, {@code x86_64}, {@code arm64}, else {@code unknown}. */
    public String cpu() {
        return switch (dbi().machine()) {
            case MACHINE_I386 -> "x86";
            case MACHINE_AMD64 -> "x86_64";
            case MACHINE_ARM64 -> "arm64";
            default -> "unknown";
        };
    }

    /** Records {@code p} unless it is already recorded (a module is read again for the index of every module). */
    private void addProblem(Problem p) {
        if (!problems.contains(p)) {
            problems.add(p);
        }
    }

    /** Damage in single modules (their functions are missing), in the order found. */
    public synchronized List<Problem> problems() {
        return List.copyOf(problems);
    }

    /** The function (name with argument types, as dump_syms prints it) and source line at an RVA. */
    @Override
    public synchronized Optional<SymbolHit> lookup(long moduleOffset) {
        AddressMap a = addresses();
        ModuleIndex.Func f = null;
        if (!a.hasOmap()) {
            int m = contributionModule(moduleOffset);
            if (m >= 0) {
                f = module(m).find(moduleOffset);
            }
        }
        if (f == null) {
            f = everything().find(moduleOffset);
        }
        if (f != null) {
            ModuleIndex.FuncLine l = ModuleIndex.line(f, moduleOffset);
            return Optional.of(new SymbolHit(f.name(), moduleOffset - f.rva(), l == null ? null : l.file(),
                    l == null ? null : (int) l.line(), inlined(f.sites(), moduleOffset)));
        }
        loadPublics();
        int i = ImageSymbols.floor(publicStarts, moduleOffset);
        if (i < 0) {
            return Optional.empty();
        }
        if (publicNames[i] == null) {
            publicNames[i] = PublicNames.name(publicsByAddress[i].name(), x86());
        }
        return Optional.of(new SymbolHit(publicNames[i], moduleOffset - publicStarts[i], null, null));
    }

    /**
     * The calls inlined at {@code rva}, innermost first: each site's name and its own range's file and line there,
     * which for every site but the innermost is where it calls the next one in; the procedure's line record is the
     * call site of the outermost (see {@link org.leakscope.model.InlinedCall}).
     */
    private List<InlinedCall> inlined(InlineSites sites, long rva) {
        if (sites.isEmpty()) {
            return List.of();
        }
        int[] chain = sites.chain(rva);
        List<InlinedCall> out = new ArrayList<>(chain.length);
        for (int i = chain.length - 1; i >= 0; i--) {
            InlineSites.Range r = sites.range(chain[i], rva);
            out.add(new InlinedCall(inlineeName(sites.inlinee(chain[i])), null, r.file(),
                    r.line() < 0 || r.line() > Integer.MAX_VALUE ? null : (int) r.line()));
        }
        return out;
    }

    /** The qualified name of an inlinee, read once; an id the IPI stream does not hold is a problem, once. */
    private String inlineeName(long inlinee) {
        if (inlineeNames.containsKey(inlinee)) {
            return inlineeNames.get(inlinee);
        }
        String name = null;
        try {
            if (ipi == null && !idStreamsRead) {
                idStreamsRead = true;
                if (info().hasIdStream() && msf.hasStream(TypedProcedureNames.IPI)) {
                    ipi = TypeStream.open(msf.stream(TypedProcedureNames.IPI));
                }
                if (msf.hasStream(TypedProcedureNames.TPI) && msf.streamSize(TypedProcedureNames.TPI) > 0) {
                    tpiNames = new TypeNames(TypeStream.open(msf.stream(TypedProcedureNames.TPI)));
                }
            }
            name = InlineeNames.qualified(ipi, tpiNames, inlinee);
        } catch (InputFormatException e) {
            addProblem(Problem.of(e));
        }
        if (name == null && ipi != null && unnamedInlinees++ < MAX_INLINEE_PROBLEMS) {
            addProblem(new Problem(path.toString(), null, null, "inline site's inlinee 0x"
                    + Long.toHexString(inlinee)
                    + " is not an LF_FUNC_ID or LF_MFUNC_ID of the IPI stream (its items are 0x1000 to 0x"
                    + Long.toHexString(ipi.end() - 1) + "): the inlined call is unnamed"));
        }
        inlineeNames.put(inlinee, name);
        return name;
    }

    @Override
    public synchronized int functions() {
        return everything().funcs().size();
    }

    private boolean x86() {
        return dbi().machine() == MACHINE_I386;
    }

    private int contributionModule(long rva) {
        if (contributionStarts == null) {
            List<DbiStream.SectionContribution> list;
            try {
                list = new ArrayList<>(dbi().sectionContributions());
            } catch (InputFormatException e) {
                addProblem(Problem.of(e)); // lookups go through the index of every module instead
                list = new ArrayList<>();
            }
            int moduleCount = dbi().modules().size();
            list.removeIf(c -> c.module() >= moduleCount || addresses().rva(c.section(), c.offset()) < 0);
            list.sort(Comparator.comparingLong(c -> addresses().rva(c.section(), c.offset())));
            contributionStarts = new long[list.size()];
            contributionEnds = new long[list.size()];
            contributionModules = new int[list.size()];
            for (int i = 0; i < list.size(); i++) {
                DbiStream.SectionContribution c = list.get(i);
                contributionStarts[i] = addresses().rva(c.section(), c.offset());
                contributionEnds[i] = contributionStarts[i] + c.size();
                contributionModules[i] = c.module();
            }
        }
        int i = ImageSymbols.floor(contributionStarts, rva);
        return i >= 0 && rva < contributionEnds[i] ? contributionModules[i] : -1;
    }

    private ModuleIndex module(int index) {
        ModuleIndex m = modules.get(index);
        if (m == null) {
            m = new ModuleIndex(moduleFuncs(dbi().modules().get(index), null));
            modules.put(index, m);
        }
        return m;
    }

    /** The functions of module {@code m}; its file names are added to {@code files} when that is not null. */
    private List<ModuleIndex.Func> moduleFuncs(PdbModule m, java.util.Set<String> files) {
        AddressMap a = addresses(); // also reads /names and makes the procedure names
        try {
            ModuleSymbols symbols = ModuleSymbols.read(msf, m);
            symbols.problems.forEach(this::addProblem);
            if (files != null) {
                for (long offset : symbols.files) {
                    files.add(names.get(offset));
                }
            }
            return ModuleIndex.build(symbols, a, names, procedureNames);
        } catch (InputFormatException e) {
            addProblem(Problem.of(e));
            return List.of();
        }
    }

    private ModuleIndex everything() {
        if (everything == null) {
            List<ModuleIndex.Func> all = new ArrayList<>();
            for (PdbModule m : dbi().modules()) {
                all.addAll(moduleFuncs(m, allFiles));
            }
            everything = new ModuleIndex(ModuleIndex.fold(all));
        }
        return everything;
    }

    private void loadPublics() {
        if (publicStarts != null) {
            return;
        }
        List<Publics.Public> list = new ArrayList<>();
        List<Long> rvas = new ArrayList<>();
        List<Publics.Public> all;
        try {
            all = Publics.read(msf, dbi());
        } catch (InputFormatException e) {
            addProblem(Problem.of(e)); // functions and lines are still right; only public names are missing
            all = List.of();
        }
        for (Publics.Public p : all) {
            long rva = addresses().rva(p.section(), p.offset());
            if (rva >= 0 && addresses().isCode(p.section())) {
                list.add(p);
                rvas.add(rva);
            }
        }
        Integer[] order = new Integer[list.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparingLong(rvas::get));
        publicStarts = new long[order.length];
        publicsByAddress = new Publics.Public[order.length];
        publicNames = new String[order.length];
        for (int i = 0; i < order.length; i++) {
            publicStarts[i] = rvas.get(order[i]);
            publicsByAddress[i] = list.get(order[i]);
        }
    }

    /** {@link #toSymbolData(DumpSymsFlavor)} as Breakpad's dump_syms writes it ({@link DumpSymsFlavor#BREAKPAD}). */
    public synchronized SymbolData toSymbolData() throws IOException {
        return toSymbolData(DumpSymsFlavor.BREAKPAD);
    }

    /**
     * Everything {@code flavor}'s dump_syms would write for this PDB (no STACK CFI, no INFO CODE_ID: those come
     * from the PE). Every source file of every module's checksum table is listed, as Microsoft-DIA-based
     * dump_syms does, numbered from 0 in module order (DIA's numbers are its own ids, which no reader outside DIA
     * can reproduce); mozilla's lists only the files of line records, numbered in the order functions (in module
     * and symbol order) first use them.
     * <ul>
     * <li>{@link DumpSymsFlavor#BREAKPAD}: a public symbol in a code section is listed unless a function starts at
     *     its address; several at one address are one record named by the smallest name, marked multiple when
     *     names differ; a fastcall's parameter size counts only its stack bytes.</li>
     * <li>{@link DumpSymsFlavor#MOZILLA}: see {@link MozillaPublics}, with the catch-all public
     *     {@code <unknown in NAME.pdb>} (see {@link #toSymbolData(DumpSymsFlavor, String)}).</li>
     * </ul>
     */
    public synchronized SymbolData toSymbolData(DumpSymsFlavor flavor) throws IOException {
        return toSymbolData(flavor, String.valueOf(path.getFileName()));
    }

    /**
     * {@link #toSymbolData(DumpSymsFlavor)}; for {@link DumpSymsFlavor#MOZILLA}, with mozilla's catch-all public
     * {@code <unknown in BINARY>} just past the last symbol ({@code binary}: the PE's file name when dump_syms read
     * one, else the PDB's).
     */
    public synchronized SymbolData toSymbolData(DumpSymsFlavor flavor, String binary) throws IOException {
        List<ModuleIndex.Func> funcs;
        Map<String, Long> fileNumbers = new LinkedHashMap<>();
        if (flavor == DumpSymsFlavor.MOZILLA) {
            List<ModuleIndex.Func> inModuleOrder = mozillaFuncs();
            funcs = ModuleIndex.fold(inModuleOrder, true);
            java.util.Set<Long> kept = new java.util.HashSet<>();
            for (ModuleIndex.Func f : inModuleOrder) {
                if (kept.add(f.rva())) { // the first procedure at an address is the one written
                    f.lines().forEach(l -> fileNumbers.computeIfAbsent(l.file(), k -> (long) fileNumbers.size()));
                }
            }
        } else {
            funcs = everything().funcs();
            for (String file : allFiles) {
                fileNumbers.put(file, (long) fileNumbers.size());
            }
        }
        loadPublics();
        boolean x86 = x86();
        List<SymbolData.Function> functions = new ArrayList<>();
        for (ModuleIndex.Func f : funcs) {
            List<SymbolData.Line> lines = new ArrayList<>();
            for (ModuleIndex.FuncLine l : f.lines()) {
                Long n = fileNumbers.computeIfAbsent(l.file(), k -> (long) fileNumbers.size());
                lines.add(ModuleIndex.toLine(l, n));
            }
            functions.add(new SymbolData.Function(f.multiple(), f.rva(), f.size(), 0, f.name(), lines, List.of()));
        }
        List<SymbolData.Public> publics = new ArrayList<>();
        if (flavor == DumpSymsFlavor.MOZILLA) {
            functions = MozillaPublics.add(functions, publicsInStreamOrder(), publics);
        } else {
            functions = breakpadPublics(functions, x86, publics);
        }
        List<SymbolData.SourceFile> files = new ArrayList<>();
        fileNumbers.forEach((name, n) -> files.add(new SymbolData.SourceFile(n, name)));
        SymbolData.Module module = new SymbolData.Module("windows", cpu(), debugId(),
                String.valueOf(path.getFileName()));
        List<SymbolData.StackWin> stackWin;
        try {
            stackWin = StackWinRecords.read(msf, dbi(), StringTable.read(msf, info()), addresses(), flavor);
        } catch (InputFormatException e) {
            addProblem(Problem.of(e));
            stackWin = List.of();
        }
        SymbolData d = new SymbolData(module, List.of(), files, List.of(), functions, publics, stackWin, List.of());
        return flavor == DumpSymsFlavor.MOZILLA ? MozillaPublics.withCatchAll(d, binary) : d;
    }

    /** The publics in code sections, in the symbol record stream's order (mozilla's merge depends on it). */
    private List<MozillaPublics.At> publicsInStreamOrder() {
        List<MozillaPublics.At> out = new ArrayList<>();
        try {
            for (Publics.Public p : Publics.read(msf, dbi())) {
                long rva = addresses().rva(p.section(), p.offset());
                if (rva >= 0 && addresses().isCode(p.section())) {
                    out.add(new MozillaPublics.At(rva, p.name()));
                }
            }
        } catch (InputFormatException e) {
            // recorded by loadPublics
        }
        return out;
    }

    /**
     * mozilla's functions: every module's, in module and symbol order (not folded), named as the procedure symbols
     * spell them (not cached: written once).
     */
    private List<ModuleIndex.Func> mozillaFuncs() {
        everything(); // fills allFiles and the problems of damaged modules, once
        ProcedureNames plain = TypedProcedureNames.forPdb(msf, info(), DumpSymsFlavor.MOZILLA);
        List<ModuleIndex.Func> all = new ArrayList<>();
        for (PdbModule m : dbi().modules()) {
            try {
                for (ModuleIndex.Func f : ModuleIndex.build(ModuleSymbols.read(msf, m), addresses(), names, plain)) {
                    all.add(new ModuleIndex.Func(f.rva(), f.size(), f.name(), f.multiple(),
                            MozillaLines.of(f.lines(), f.rva() + f.size()), f.sites()));
                }
            } catch (InputFormatException e) {
                // recorded by everything()
            }
        }
        return all;
    }

    /** Breakpad's publics (see toSymbolData) into {@code publics}; returns the functions with parameter sizes. */
    private List<SymbolData.Function> breakpadPublics(List<SymbolData.Function> functions, boolean x86,
            List<SymbolData.Public> publics) {
        Map<Long, Long> paramSizes = new HashMap<>();
        for (int i = 0; i < publicStarts.length; i++) {
            long size = PublicNames.parameterSize(publicsByAddress[i].name(), x86);
            if (size > 0) {
                paramSizes.putIfAbsent(publicStarts[i], size);
            }
        }
        java.util.Set<Long> funcStarts = new java.util.HashSet<>();
        List<SymbolData.Function> out = new ArrayList<>();
        for (SymbolData.Function f : functions) {
            funcStarts.add(f.address());
            out.add(new SymbolData.Function(f.multiple(), f.address(), f.size(),
                    paramSizes.getOrDefault(f.address(), 0L), f.name(), f.lines(), f.inlines()));
        }
        for (int i = 0; i < publicStarts.length; i++) {
            long rva = publicStarts[i];
            if (funcStarts.contains(rva)) {
                continue;
            }
            int j = i;
            String name = PublicNames.name(publicsByAddress[i].name(), x86);
            boolean multiple = false;
            while (j + 1 < publicStarts.length && publicStarts[j + 1] == rva) {
                j++;
                String other = PublicNames.name(publicsByAddress[j].name(), x86);
                if (!other.equals(name)) {
                    multiple = true;
                    if (other.compareTo(name) < 0) {
                        name = other;
                    }
                }
            }
            publics.add(new SymbolData.Public(multiple, rva, PublicNames.parameterSize(publicsByAddress[i].name(),
                    x86), name));
            i = j;
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        msf.close();
    }
}
