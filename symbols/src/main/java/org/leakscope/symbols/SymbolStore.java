package org.leakscope.symbols;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;
import org.leakscope.demangle.Demangler;
import org.leakscope.model.Frame;
import org.leakscope.model.InlinedCall;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Module;
import org.leakscope.model.Problem;
import org.leakscope.symbols.SymbolOrigin.Status;
import org.leakscope.symbols.dwarf.DwarfSymbols;
import org.leakscope.symbols.pdb.PdbSymbols;
import org.leakscope.symbols.store.DebugFileLocator;
import org.leakscope.symbols.store.ServerOptions;
import org.leakscope.symbols.store.SymbolLocator;
import org.leakscope.symbols.store.SymbolLocator.Candidate;
import org.leakscope.symbols.store.SymbolPath;

/**
 * The one symbol service: Breakpad {@code .sym} files, PDBs and program files found along a {@link SymbolPath}
 * (folders in Breakpad's and Microsoft's layouts, HTTP symbol servers and their caches: {@link SymbolLocator}).
 * A file is opened the first time a module needs it, and misses are remembered. A file names a module's
 * functions only when it is the build the module was loaded from ({@link ModuleMatch}); one that is not is
 * skipped with a warning naming both ids. Where each module's names came from is kept ({@link #origins()}).
 */
public final class SymbolStore implements AutoCloseable {
    /** How PDBs are recognised and opened: the PDB reader, or a test's stand-in. */
    interface PdbOpener {
        boolean isPdb(Path p);

        ImageSymbols open(Path p) throws IOException;
    }

    private static final PdbOpener PDB_READER = new PdbOpener() {
        @Override
        public boolean isPdb(Path p) {
            return PdbSymbols.isPdb(p);
        }

        @Override
        public ImageSymbols open(Path p) throws IOException {
            return PdbSymbols.open(p);
        }
    };

    private final List<Path> roots;
    private final SymbolPath path;
    private final SymbolLocator locator;
    private final PdbOpener pdbs;
    private final DebugFileLocator debugFiles;
    /** Separate debug files opened, by path, and how each was found (for {@link #origins()}). */
    private final Map<Path, Optional<DwarfSymbols>> dwarfFiles = new HashMap<>();
    private final Map<Path, String> debugFileOf = new HashMap<>();
    /** Files by path, each opened once whichever modules ask for it (empty: absent or unreadable). */
    private final Map<Path, Optional<BreakpadSymbolFile>> symFiles = new HashMap<>();
    private final Map<Path, Optional<ImageSymbols>> imageFiles = new HashMap<>();
    /** What each matched program file names frames through: its DWARF, or its symbol table ({@link #names}). */
    private final Map<Path, ImageSymbols> imageNames = new HashMap<>();
    /** The symbol file (.sym or PDB) each module resolves through, chosen at its first frame. */
    private final Map<Module, Optional<Used>> symFor = new HashMap<>();
    private final Map<Module, Optional<Used>> imageFor = new HashMap<>();
    /** The first refusal of a file of each module's name: why it stays unnamed. */
    private final Map<Module, String> refused = new HashMap<>();
    /** Modules in the order they were first asked about. */
    private final Set<Module> asked = new LinkedHashSet<>();
    /** Warnings in order, each once (two dumps of one build ask about the same file). */
    private final Set<Problem> problems = new LinkedHashSet<>();
    /** Demangled names by symbol: a stack repeats the same few functions thousands of times. */
    private final Map<String, String> demangled = new HashMap<>();

    /**
     * A file chosen for a module: how to look up in it, where it came from, the Breakpad file if it is one (the
     * stack walker reads its STACK records), and the program file (ELF or PE) when the names come from one or
     * from its separate debug file: a program's return addresses are looked up at the call
     * ({@link #symbolizeReturnAddress}), and the walker reads its call frame information.
     */
    private record Used(LongFunction<Optional<SymbolHit>> lookup, Candidate from, BreakpadSymbolFile breakpad,
            Path program) {
        Optional<SymbolHit> at(long rva, boolean returnAddress) {
            if (program == null || !returnAddress || rva <= 0) {
                return lookup.apply(rva);
            }
            return lookup.apply(rva - 1).map(h -> new SymbolHit(h.function(), h.functionOffset() + 1,
                    h.sourceFile(), h.sourceLine(), h.inlined()));
        }
    }

    /** Plain folders, searched in order (no servers). */
    public SymbolStore(List<Path> roots) {
        this(SymbolPath.folders(roots), ServerOptions.defaults());
    }

    /** A parsed symbol path; {@code offline}: servers' caches only, no network. */
    public SymbolStore(SymbolPath path, boolean offline) {
        this(path, ServerOptions.defaults().withOffline(offline));
    }

    public SymbolStore(SymbolPath path, ServerOptions options) {
        this(path, options, PDB_READER);
    }

    /** A parsed symbol path; separate debug files also under {@code roots} (this machine's: {@code Roots.of}). */
    public SymbolStore(SymbolPath path, ServerOptions options, DebugFileLocator.Roots roots) {
        this(path, options, PDB_READER, roots);
    }

    SymbolStore(SymbolPath path, ServerOptions options, PdbOpener pdbs) {
        this(path, options, pdbs, DebugFileLocator.Roots.of(System::getenv));
    }

    SymbolStore(SymbolPath path, ServerOptions options, PdbOpener pdbs, DebugFileLocator.Roots roots) {
        this.path = path;
        this.roots = path.localFolders();
        this.pdbs = pdbs;
        this.locator = new SymbolLocator(path, options, w -> problems.add(new Problem("symbol path", null, null, w)));
        this.debugFiles = new DebugFileLocator(locator, path, roots, p -> ElfSymbolFile.open(p).buildId(),
                problems::add);
        for (String w : path.warnings()) {
            problems.add(new Problem("symbol path", null, null, w));
        }
    }

    /** Resolves an offset inside the module with this debug identity, through its Breakpad file or PDB. */
    public Optional<SymbolHit> lookup(String debugFile, String debugId, long rva) {
        if (debugFile == null || debugId == null || path.isEmpty()) {
            return Optional.empty();
        }
        return symbols(new Module(0, 0, debugFile, debugFile, debugId, null)).flatMap(f -> f.lookup().apply(rva));
    }

    /**
     * The frame with function, offset and source filled in; unchanged when nothing is found. Breakpad files
     * first, then PDBs (both by the module's debug file and id, {@link SymbolLocator}); then the program file's
     * own symbols: a file of the module's name along the symbol path, or the file at the module's path on this
     * machine (a Wine path {@code Z:\x\y} read as {@code /x/y}), an ELF file's {@code .symtab}/{@code .dynsym}
     * or a PE file's COFF symbols and exports, whichever its magic says it is, and its DWARF when it has any (file,
     * line and inlined calls: {@link #names}). Each only when its identity matches the module's
     * ({@link ModuleMatch}). {@code frame}'s address is the instruction itself (a thread's instruction pointer);
     * for a return address see {@link #symbolizeReturnAddress}.
     */
    public Frame symbolize(Frame frame, Module module) {
        return symbolize(frame, module, false);
    }

    /**
     * The same for a return address (a caller's frame in a backtrace, as trackers and UMDH record them): in a
     * program file's own symbols it is looked up at the call instruction, the byte before it, whose file and line
     * are the call's (the return address is often on the next line, or past the end of a function whose last
     * call never returns); the function offset stays the return address's. Breakpad files and PDBs are read as
     * before, at the address itself.
     */
    public Frame symbolizeReturnAddress(Frame frame, Module module) {
        return symbolize(frame, module, true);
    }

    private Frame symbolize(Frame frame, Module module, boolean returnAddress) {
        long rva = frame.address() - module.base();
        asked.add(module);
        Optional<SymbolHit> hit = symbols(module).flatMap(f -> f.at(rva, returnAddress));
        if (hit.isEmpty()) {
            hit = image(module).flatMap(f -> f.at(rva, returnAddress));
        }
        return hit.map(h -> named(frame, h)).orElse(frame);
    }

    /**
     * The frame named by a hit, demangled here, the one place symbols are attached, so every reader (Breakpad,
     * ELF, PE) and every command prints the same readable name and keeps the mangled one beside it.
     */
    private Frame named(Frame frame, SymbolHit h) {
        String mangled = h.function();
        String readable = readable(mangled);
        Frame named = readable == null || readable.equals(mangled)
                ? frame.withSymbol(mangled, h.functionOffset(), h.sourceFile(), h.sourceLine())
                : frame.withSymbol(readable, mangled, h.functionOffset(), h.sourceFile(), h.sourceLine());
        if (h.inlined().isEmpty()) {
            return named;
        }
        List<InlinedCall> calls = new ArrayList<>(h.inlined().size());
        for (InlinedCall c : h.inlined()) {
            String r = readable(c.function());
            calls.add(new InlinedCall(r, r == null || r.equals(c.function()) ? null : c.function(), c.sourceFile(),
                    c.sourceLine()));
        }
        return named.withInlined(calls);
    }

    private String readable(String name) {
        return name == null ? null : demangled.computeIfAbsent(name, SymbolStore::demangle);
    }

    /** The readable name, or the name itself (a map value cannot be null). */
    private static String demangle(String name) {
        String d = Demangler.demangle(name);
        return d == null ? name : d;
    }

    /**
     * The module's Breakpad symbol file, when one of its build is along the symbol path: the stack walker reads its
     * STACK CFI and STACK WIN records. Empty when the module's names come from a PDB or a program file, or none.
     */
    public Optional<BreakpadSymbolFile> breakpadFile(Module module) {
        return symbols(module).map(Used::breakpad);
    }

    /**
     * The program file (ELF or PE) of the module's build, on this machine or along the symbol path, as
     * {@link #symbolize} finds it: a stack walker reads its call frame information. Empty when there is none.
     */
    public Optional<Path> imagePath(Module module) {
        return image(module).map(Used::program); // the program, also when its names come from its debug file
    }

    /** True when some file names this module's functions (a stack scan then trusts only addresses inside one). */
    public boolean hasSymbols(Module module) {
        return symbols(module).isPresent() || image(module).isPresent();
    }

    /** True when a module's path names an ELF file here: worth symbolizing a snapshot that has no store. */
    public static boolean hasLocalElf(Module module) {
        Path p = localPath(module.path());
        return p != null && ElfSymbolFile.isElf(p);
    }

    /**
     * True when a module's path names an ELF or PE file on this machine (Wine's {@code Z:} paths included):
     * worth symbolizing a snapshot that has no store.
     */
    public static boolean hasLocalImage(Module module) {
        Path p = localPath(module.path());
        return p != null && (ElfSymbolFile.isElf(p) || PeSymbolFile.isPe(p));
    }

    /**
     * Where a module's recorded path is on this machine, or null. Windows paths from Wine: drive Z: is the
     * Linux root ({@code Z:\work\planted.exe} is {@code /work/planted.exe}, also with the NT prefixes
     * {@code \\?\} and {@code \??\}); other drives ({@code C:\windows\system32\kernel32.dll}) are
     * the prefix's own and only found by file name in a store root. A relative path is no place at all.
     */
    static Path localPath(String path) {
        if (path == null || path.isEmpty()) {
            return null;
        }
        String p = path;
        if (File.separatorChar == '/') {
            if (p.startsWith("\\\\?\\") || p.startsWith("\\??\\")) {
                p = p.substring(4);
            }
            if (p.length() >= 3 && (p.charAt(0) == 'Z' || p.charAt(0) == 'z') && p.charAt(1) == ':'
                    && (p.charAt(2) == '\\' || p.charAt(2) == '/')) {
                p = p.substring(2).replace('\\', '/');
            }
        }
        try {
            Path local = Path.of(p);
            return local.isAbsolute() ? local : null;
        } catch (InvalidPathException e) {
            return null; // garbage, or a name this file system cannot hold
        }
    }

    /** The program file that names this module: the first candidate of the module's build. */
    private Optional<Used> image(Module module) {
        Optional<Used> chosen = imageFor.get(module);
        if (chosen == null) {
            // another build under the same name (a store's copy, a system library updated since): its names would
            // be wrong; the next candidate may be the right one
            chosen = locator.binary(module.name(), module.codeId(), c -> image(c, module));
            if (chosen.isEmpty()) {
                Path own = localPath(module.path());
                if (own != null) {
                    chosen = image(new Candidate(own, null), module);
                }
            }
            imageFor.put(module, chosen);
        }
        return chosen;
    }

    /** The program file or PDB at the candidate, if it is the module's build. */
    private Optional<Used> image(Candidate c, Module module) {
        Optional<ImageSymbols> f = imageFile(c.path());
        if (f.isEmpty() || !matches(c, f.get().identity(), module)) {
            return Optional.empty();
        }
        if (f.get() instanceof PeSymbolFile pe) {
            problems.addAll(pe.problems());
        }
        ImageSymbols file = names(c.path(), f.get());
        boolean program = f.get() instanceof ElfSymbolFile || f.get() instanceof PeSymbolFile;
        if (program && file == f.get()) { // no DWARF of its own: a separate debug file may have it
            Optional<Used> separate = separateDebugFile(c.path(), f.get());
            if (separate.isPresent()) {
                return separate;
            }
        }
        return Optional.of(new Used(file::lookup, c, null, program ? c.path() : null));
    }

    /**
     * What a program file of the module's build names frames through, opened once per file: its DWARF when it has
     * any (an ELF file or a mingw PE built with {@code -g}: file, line and inline frames; the DWARF reader falls
     * back to the symbol table itself where DWARF names no function), else {@code table}, its symbol table. A
     * damaged or unreadable DWARF file leaves a problem and the symbol table's names.
     */
    private ImageSymbols names(Path p, ImageSymbols table) {
        if (!(table instanceof ElfSymbolFile || table instanceof PeSymbolFile)) {
            return table; // a PDB
        }
        ImageSymbols known = imageNames.get(p);
        if (known != null) {
            return known;
        }
        ImageSymbols chosen = table;
        try {
            DwarfSymbols dwarf = DwarfSymbols.open(p);
            if (dwarf.hasDebugInfo()) {
                chosen = new DwarfImageSymbols(dwarf, table);
            }
        } catch (InputFormatException e) {
            problems.add(Problem.of(e));
        } catch (IOException e) {
            problems.add(new Problem(p.toString(), null, null, p + ": cannot read its DWARF: " + e.getMessage()));
        }
        imageNames.put(p, chosen);
        return chosen;
    }

    /**
     * For an ELF program without DWARF (stripped, its debug information shipped apart): its separate debug file
     * of the same build ({@link DebugFileLocator}), read by the same module offsets (a debug file keeps the
     * program headers); empty when the program has DWARF of its own or no such file is found.
     */
    private Optional<Used> separateDebugFile(Path image, ImageSymbols file) {
        if (!ElfSymbolFile.isElf(image)) {
            return Optional.empty();
        }
        String id = file.identity().buildId();
        Optional<DebugFileLocator.Found> found;
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            ImageSections sections = ImageSections.read(ch, image.toString());
            if (sections.section(".debug_info").or(() -> sections.section(".zdebug_info")).isPresent()) {
                return Optional.empty();
            }
            found = debugFiles.find(image, id, ElfDebugLink.read(ch, image.toString(), sections).orElse(null));
        } catch (IOException | InputFormatException e) {
            found = debugFiles.find(image, id, null); // a damaged section table: the build id still works
        }
        return found.flatMap(d -> dwarfFile(d.file()).map(dwarf -> {
            debugFileOf.put(d.file(), "separate debug file of " + image + ", found by " + d.how());
            return new Used(new DwarfImageSymbols(dwarf, null)::lookup, new Candidate(d.file(), d.url()), null, image);
        }));
    }

    /**
     * The separate debug file of an ELF program that has no DWARF of its own ({@code dumpsyms} on a stripped
     * program), of the program's build; empty when it has DWARF or none is found ({@link #problems()} says which
     * files were refused and why).
     */
    public Optional<Path> separateDebugFile(Path program) throws IOException {
        return separateDebugFile(program, ElfSymbolFile.open(program)).map(u -> u.from().path());
    }

    private Optional<DwarfSymbols> dwarfFile(Path p) {
        return dwarfFiles.computeIfAbsent(p, k -> {
            try {
                return Optional.of(DwarfSymbols.open(k));
            } catch (InputFormatException e) {
                problems.add(Problem.of(e));
            } catch (IOException e) {
                problems.add(new Problem(k.toString(), null, null, k + ": cannot read: " + e.getMessage()));
            }
            return Optional.empty();
        });
    }

    private Optional<ImageSymbols> imageFile(Path p) {
        Optional<ImageSymbols> cached = imageFiles.get(p);
        if (cached != null) {
            return cached;
        }
        Optional<ImageSymbols> found = Optional.empty();
        try {
            if (ElfSymbolFile.isElf(p)) {
                found = Optional.of(ElfSymbolFile.open(p));
            } else if (pdbs.isPdb(p)) {
                found = Optional.of(pdbs.open(p));
            } else if (PeSymbolFile.isPe(p)) {
                found = Optional.of(PeSymbolFile.open(p));
            }
        } catch (InputFormatException e) {
            problems.add(Problem.of(e));
        } catch (IOException e) {
            problems.add(new Problem(p.toString(), null, null, p + ": cannot read: " + e.getMessage()));
        }
        imageFiles.put(p, found);
        return found;
    }

    /**
     * The module's symbol file: by its debug file and id, a Breakpad file then a PDB ({@link SymbolLocator});
     * for producers that record no id, a Breakpad file by name alone ({@link #byName}).
     */
    private Optional<Used> symbols(Module module) {
        Optional<Used> chosen = symFor.get(module);
        if (chosen == null) {
            if (path.isEmpty()) {
                chosen = Optional.empty();
            } else if (module.debugId() == null) {
                chosen = byName(module);
            } else {
                String debugFile = module.debugFile() != null ? module.debugFile() : module.name();
                chosen = locator.symbols(debugFile, module.debugId(), c -> sym(c, module), c -> image(c, module));
            }
            symFor.put(module, chosen);
        }
        return chosen;
    }

    /** The Breakpad file at the candidate, if its MODULE line names the module's build. */
    private Optional<Used> sym(Candidate c, Module module) {
        Optional<BreakpadSymbolFile> f = symFile(c.path());
        if (f.isEmpty() || !matches(c, f.get().identity(), module)) {
            return Optional.empty(); // a file filed under the module's id whose MODULE line names another
        }
        BreakpadSymbolFile file = f.get();
        return Optional.of(new Used(file::lookup, c, file, null));
    }

    private static String symName(String debugFile) {
        return (debugFile.toLowerCase(Locale.ROOT).endsWith(".pdb")
                ? debugFile.substring(0, debugFile.length() - 4) : debugFile) + ".sym";
    }

    private Optional<BreakpadSymbolFile> symFile(Path p) {
        Optional<BreakpadSymbolFile> cached = symFiles.get(p);
        if (cached != null) {
            return cached;
        }
        Optional<BreakpadSymbolFile> found = Optional.empty();
        if (Files.isRegularFile(p)) {
            try {
                BreakpadSymbolFile f = BreakpadSymbolFile.open(p);
                problems.addAll(f.problems());
                found = Optional.of(f);
            } catch (InputFormatException e) {
                problems.add(Problem.of(e));
            } catch (IOException e) {
                problems.add(new Problem(p.toString(), null, null, p + ": cannot read: " + e.getMessage()));
            }
        }
        symFiles.put(p, found);
        return found;
    }

    /**
     * For producers that record only a module's path (UMDH's module table): the store's one debug id under
     * {@code <stem>.pdb/} or {@code <name>/}, if its INFO CODE_ID gives the module's size. With several ids the
     * match would be a guess, so none is used and a problem says why.
     */
    private Optional<Used> byName(Module module) {
        String name = module.name();
        String stem = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
        for (String debugFile : new String[] {stem + ".pdb", name}) {
            for (Path root : roots) {
                Path dir;
                try {
                    dir = root.resolve(debugFile);
                } catch (InvalidPathException e) {
                    continue;
                }
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                List<String> ids = new ArrayList<>();
                try (var s = Files.list(dir)) {
                    s.filter(Files::isDirectory).forEach(p -> ids.add(p.getFileName().toString()));
                } catch (IOException e) {
                    continue;
                }
                if (ids.size() == 1) {
                    Path p = dir.resolve(ids.get(0)).resolve(symName(debugFile));
                    Optional<BreakpadSymbolFile> f = symFile(p);
                    if (f.isPresent() && matches(new Candidate(p, null), f.get().identity(), module)) {
                        BreakpadSymbolFile file = f.get();
                        return Optional.of(new Used(file::lookup, new Candidate(p, null), file, null));
                    }
                }
                if (ids.size() > 1) {
                    problems.add(new Problem(dir.toString(), null, null, dir + ": " + ids.size()
                            + " debug ids and the input names no id: not symbolizing " + name));
                }
            }
        }
        return Optional.empty();
    }

    /** True when the candidate is the module's build; otherwise a warning says why it is not used. */
    private boolean matches(Candidate c, BuildIdentity identity, Module module) {
        String refusal = ModuleMatch.refusal(c.origin(), identity, module);
        if (refusal != null) {
            problems.add(new Problem(c.path().toString(), null, null, refusal));
            refused.putIfAbsent(module, refusal);
        }
        return refusal == null;
    }

    /** True when the symbol path names any folder, cache or server (so a module without names is "missing"). */
    public boolean hasSymbolPath() {
        return !path.isEmpty();
    }

    /**
     * Where each module asked about so far got its names, in the order they were first asked: the file (and
     * URL) used, or why none was.
     */
    public List<SymbolOrigin> origins() {
        return origins(List.of());
    }

    /**
     * {@link #origins()}, the modules {@code order} lists first and in its order, then the rest as asked: for
     * callers that asked from several threads at once, whose order of asking is not the order of their inputs.
     */
    public List<SymbolOrigin> origins(List<Module> order) {
        Set<Module> modules = new LinkedHashSet<>();
        for (Module m : order) {
            if (asked.contains(m)) {
                modules.add(m);
            }
        }
        modules.addAll(asked);
        List<SymbolOrigin> out = new ArrayList<>();
        for (Module m : modules) {
            Optional<Used> used = chosen(symFor, m).or(() -> chosen(imageFor, m));
            if (used.isPresent()) {
                Candidate c = used.get().from();
                out.add(new SymbolOrigin(m.name(), m.debugId(), Status.FOUND, c.path().toString(), c.url(),
                        debugFileOf.get(c.path())));
            } else {
                String why = refused.get(m);
                out.add(new SymbolOrigin(m.name(), m.debugId(), why == null ? Status.MISSING : Status.MISMATCHED,
                        null, null, why));
            }
        }
        return out;
    }

    /** Symbol files that could not be used, files of another build, and damaged lines in those that were used. */
    public List<Problem> problems() {
        for (ImageSymbols n : imageNames.values()) {
            if (n instanceof DwarfImageSymbols d) {
                problems.addAll(d.problems()); // found while frames were looked up
            }
        }
        for (Optional<DwarfSymbols> d : dwarfFiles.values()) {
            d.ifPresent(f -> problems.addAll(f.problems())); // and in separate debug files
        }
        return List.copyOf(problems);
    }

    private static Optional<Used> chosen(Map<Module, Optional<Used>> map, Module m) {
        Optional<Used> u = map.get(m);
        return u == null ? Optional.empty() : u;
    }

    @Override
    public void close() {
        locator.close();
        for (Optional<BreakpadSymbolFile> f : symFiles.values()) {
            if (f.isPresent()) {
                try {
                    f.get().close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        for (Optional<ImageSymbols> f : imageFiles.values()) {
            if (f.isPresent() && f.get() instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }
}
