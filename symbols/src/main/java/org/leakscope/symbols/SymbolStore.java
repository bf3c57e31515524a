package org.leakscope.symbols;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.leakscope.demangle.Demangler;
import org.leakscope.model.Frame;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Module;
import org.leakscope.model.Problem;

/**
 * Breakpad symbol stores ({@code <root>/<debug file>/<debug id>/<name>.sym}, name = debug file without a
 * trailing {@code .pdb}) and program files. Roots are searched in order; a file is opened the first time a
 * module needs it, and misses are remembered. A file names a module's functions only when it is the build the
 * module was loaded from ({@link ModuleMatch}); one that is not is skipped with a warning naming both ids.
 */
public final class SymbolStore implements AutoCloseable {
    private final List<Path> roots;
    /** Files by path, each opened once whichever modules ask for it (empty: absent or unreadable). */
    private final Map<Path, Optional<BreakpadSymbolFile>> symFiles = new HashMap<>();
    private final Map<Path, Optional<ImageSymbols>> imageFiles = new HashMap<>();
    /** The file each module resolves through, chosen at its first frame. */
    private final Map<Module, Optional<BreakpadSymbolFile>> symFor = new HashMap<>();
    private final Map<Module, Optional<ImageSymbols>> imageFor = new HashMap<>();
    /** Warnings in order, each once (two dumps of one build ask about the same file). */
    private final Set<Problem> problems = new LinkedHashSet<>();
    /** Demangled names by symbol: a stack repeats the same few functions thousands of times. */
    private final Map<String, String> demangled = new HashMap<>();

    public SymbolStore(List<Path> roots) {
        this.roots = List.copyOf(roots);
    }

    /** Resolves an offset inside the module with this debug identity, through its Breakpad file. */
    public Optional<SymbolHit> lookup(String debugFile, String debugId, long rva) {
        if (debugFile == null || debugId == null || roots.isEmpty()) {
            return Optional.empty();
        }
        return breakpad(new Module(0, 0, debugFile, debugFile, debugId, null)).flatMap(f -> f.lookup(rva));
    }

    /**
     * The frame with function, offset and source filled in; unchanged when nothing is found. Breakpad files
     * first; then the program file's own symbols: a file of the module's name in a store root, or the file at
     * the module's path on this machine (a Wine path {@code Z:\x\y} read as {@code /x/y}), an ELF file's
     * {@code .symtab}/{@code .dynsym} or a PE file's COFF symbols and exports, whichever its magic says it is.
     * Each only when its identity matches the module's ({@link ModuleMatch}).
     */
    public Frame symbolize(Frame frame, Module module) {
        long rva = frame.address() - module.base();
        Optional<SymbolHit> hit = breakpad(module).flatMap(f -> f.lookup(rva));
        if (hit.isEmpty()) {
            hit = image(module).flatMap(f -> f.lookup(rva));
        }
        return hit.map(h -> named(frame, h)).orElse(frame);
    }

    /**
     * The frame named by a hit, demangled here, the one place symbols are attached, so every reader (Breakpad,
     * ELF, PE) and every command prints the same readable name and keeps the mangled one beside it.
     */
    private Frame named(Frame frame, SymbolHit h) {
        String mangled = h.function();
        String readable = mangled == null ? null : demangled.computeIfAbsent(mangled, SymbolStore::demangle);
        return readable == null || readable.equals(mangled)
                ? frame.withSymbol(mangled, h.functionOffset(), h.sourceFile(), h.sourceLine())
                : frame.withSymbol(readable, mangled, h.functionOffset(), h.sourceFile(), h.sourceLine());
    }

    /** The readable name, or the name itself (a map value cannot be null). */
    private static String demangle(String name) {
        String d = Demangler.demangle(name);
        return d == null ? name : d;
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
    private Optional<ImageSymbols> image(Module module) {
        Optional<ImageSymbols> chosen = imageFor.get(module);
        if (chosen == null) {
            chosen = Optional.empty();
            for (Path p : imageCandidates(module)) {
                Optional<ImageSymbols> f = imageFile(p);
                // another build under the same name (a store root's copy, a system library updated since): its
                // names would be wrong; the next candidate may be the right one
                if (f.isPresent() && matches(p, f.get().identity(), module)) {
                    if (f.get() instanceof PeSymbolFile pe) {
                        problems.addAll(pe.problems());
                    }
                    chosen = f;
                    break;
                }
            }
            imageFor.put(module, chosen);
        }
        return chosen;
    }

    /** A file of the module's name in each root (also in lower case), then the module's own path. */
    private List<Path> imageCandidates(Module module) {
        List<Path> candidates = new ArrayList<>();
        String name = module.name();
        String lower = name.toLowerCase(Locale.ROOT);
        for (Path root : roots) {
            try {
                candidates.add(root.resolve(name));
                if (!lower.equals(name)) {
                    candidates.add(root.resolve(lower)); // Windows names are case-blind: KERNEL32.DLL is kernel32.dll
                }
            } catch (InvalidPathException e) {
                // a name this file system cannot hold
            }
        }
        Path own = localPath(module.path());
        if (own != null) {
            candidates.add(own);
        }
        return candidates;
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

    /** The module's Breakpad file: by its debug id, or (producers that record none) by name alone. */
    private Optional<BreakpadSymbolFile> breakpad(Module module) {
        Optional<BreakpadSymbolFile> chosen = symFor.get(module);
        if (chosen == null) {
            chosen = roots.isEmpty() ? Optional.empty() : module.debugId() == null ? byName(module) : byId(module);
            symFor.put(module, chosen);
        }
        return chosen;
    }

    private Optional<BreakpadSymbolFile> byId(Module module) {
        String debugFile = module.debugFile() != null ? module.debugFile() : module.name();
        for (Path root : roots) {
            Path p;
            try {
                p = root.resolve(debugFile).resolve(module.debugId()).resolve(symName(debugFile));
            } catch (InvalidPathException e) {
                return Optional.empty();
            }
            Optional<BreakpadSymbolFile> f = symFile(p);
            if (f.isPresent() && matches(p, f.get().identity(), module)) {
                return f; // a file filed under the module's id whose MODULE line names another is skipped
            }
        }
        return Optional.empty();
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
    private Optional<BreakpadSymbolFile> byName(Module module) {
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
                    if (f.isPresent() && matches(p, f.get().identity(), module)) {
                        return f;
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

    /** True when the file at {@code p} is the module's build; otherwise a warning says why it is not used. */
    private boolean matches(Path p, BuildIdentity identity, Module module) {
        String refusal = ModuleMatch.refusal(p.toString(), identity, module);
        if (refusal != null) {
            problems.add(new Problem(p.toString(), null, null, refusal));
        }
        return refusal == null;
    }

    /** Symbol files that could not be used, files of another build, and damaged lines in those that were used. */
    public List<Problem> problems() {
        return List.copyOf(problems);
    }

    @Override
    public void close() {
        for (Optional<BreakpadSymbolFile> f : symFiles.values()) {
            if (f.isPresent()) {
                try {
                    f.get().close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
