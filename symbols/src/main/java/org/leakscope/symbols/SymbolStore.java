package org.leakscope.symbols;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.leakscope.model.Frame;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Module;
import org.leakscope.model.Problem;

/**
 * Breakpad symbol stores ({@code <root>/<debug file>/<debug id>/<name>.sym}, name = debug file without a
 * trailing {@code .pdb}). Roots are searched in order; a file is opened the first time a module needs it,
 * and misses are remembered.
 */
public final class SymbolStore implements AutoCloseable {
    private final List<Path> roots;
    private final Map<String, Optional<BreakpadSymbolFile>> files = new HashMap<>();
    private final List<Problem> problems = new ArrayList<>();

    public SymbolStore(List<Path> roots) {
        this.roots = List.copyOf(roots);
    }

    /** Resolves an offset inside the module with this debug identity. */
    public Optional<SymbolHit> lookup(String debugFile, String debugId, long rva) {
        if (debugFile == null || debugId == null || roots.isEmpty()) {
            return Optional.empty();
        }
        return file(debugFile, debugId).flatMap(f -> f.lookup(rva));
    }

    /**
     * The frame with function, offset and source filled in; unchanged when nothing is found. Breakpad files
     * first; then the program file's own symbols: a file of the module's name in a store root, or the file at
     * the module's path on this machine (a Wine path {@code Z:\x\y} read as {@code /x/y}), an ELF file's
     * {@code .symtab}/{@code .dynsym} or a PE file's COFF symbols and exports, whichever its magic says it is.
     */
    public Frame symbolize(Frame frame, Module module) {
        long rva = frame.address() - module.base();
        Optional<SymbolHit> hit = module.debugId() == null ? byName(module.name()).flatMap(f -> f.lookup(rva))
                : lookup(module.debugFile(), module.debugId(), rva);
        if (hit.isEmpty()) {
            hit = image(module).flatMap(f -> f.lookup(rva));
        }
        return hit.map(h -> frame.withSymbol(h.function(), h.functionOffset(), h.sourceFile(), h.sourceLine()))
                .orElse(frame);
    }

    private final Map<String, Optional<ImageSymbols>> images = new HashMap<>();

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

    private Optional<ImageSymbols> image(Module module) {
        String key = module.path() == null ? module.name() : module.path();
        Optional<ImageSymbols> cached = images.get(key);
        if (cached != null) {
            return cached;
        }
        Optional<ImageSymbols> found = Optional.empty();
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
        for (Path p : candidates) {
            try {
                if (ElfSymbolFile.isElf(p)) {
                    found = Optional.of(ElfSymbolFile.open(p));
                    break;
                }
                if (PeSymbolFile.isPe(p)) {
                    PeSymbolFile pe = PeSymbolFile.open(p);
                    if (module.size() != 0 && module.size() != pe.imageSize()) {
                        // another build under the same name (a store root's copy, an updated system DLL): its
                        // names would be wrong, so it is not used; the next candidate may be the right one
                        problems.add(new Problem(p.toString(), null, null, p + ": SizeOfImage " + pe.imageSize()
                                + ", but " + module.path() + " was " + module.size() + " bytes when loaded: another"
                                + " build, not used for its symbols"));
                        continue;
                    }
                    problems.addAll(pe.problems());
                    found = Optional.of(pe);
                    break;
                }
            } catch (InputFormatException e) {
                problems.add(Problem.of(e));
            } catch (IOException e) {
                problems.add(new Problem(p.toString(), null, null, p + ": cannot read: " + e.getMessage()));
            }
        }
        images.put(key, found);
        return found;
    }

    private Optional<BreakpadSymbolFile> file(String debugFile, String debugId) {
        String key = debugFile + "/" + debugId;
        Optional<BreakpadSymbolFile> cached = files.get(key);
        if (cached != null) {
            return cached;
        }
        Optional<BreakpadSymbolFile> found = Optional.empty();
        String symName = (debugFile.toLowerCase().endsWith(".pdb")
                ? debugFile.substring(0, debugFile.length() - 4) : debugFile) + ".sym";
        for (Path root : roots) {
            Path p = root.resolve(debugFile).resolve(debugId).resolve(symName);
            if (Files.isRegularFile(p)) {
                try {
                    BreakpadSymbolFile f = BreakpadSymbolFile.open(p);
                    problems.addAll(f.problems());
                    found = Optional.of(f);
                    break;
                } catch (InputFormatException e) {
                    problems.add(Problem.of(e));
                } catch (IOException e) {
                    problems.add(new Problem(p.toString(), null, null, p + ": cannot read: " + e.getMessage()));
                }
            }
        }
        files.put(key, found);
        return found;
    }

    /**
     * For producers that record only a module's path (UMDH's module table): the store's one debug id under
     * {@code <stem>.pdb/} or {@code <name>/}. With several ids the match would be a guess, so none is used and a
     * problem says why.
     */
    private Optional<BreakpadSymbolFile> byName(String moduleName) {
        Optional<BreakpadSymbolFile> cached = byNameCache.get(moduleName);
        if (cached == null) {
            cached = findByName(moduleName);
            byNameCache.put(moduleName, cached);
        }
        return cached;
    }

    private final Map<String, Optional<BreakpadSymbolFile>> byNameCache = new HashMap<>();

    private Optional<BreakpadSymbolFile> findByName(String moduleName) {
        if (roots.isEmpty()) {
            return Optional.empty();
        }
        String stem = moduleName.contains(".") ? moduleName.substring(0, moduleName.lastIndexOf('.')) : moduleName;
        for (String debugFile : new String[] {stem + ".pdb", moduleName}) {
            for (Path root : roots) {
                Path dir = root.resolve(debugFile);
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
                    return file(debugFile, ids.get(0));
                }
                if (ids.size() > 1 && ambiguous.add(dir.toString())) {
                    problems.add(new Problem(dir.toString(), null, null, dir + ": " + ids.size()
                            + " debug ids and the log names no id: not symbolizing " + moduleName));
                }
            }
        }
        return Optional.empty();
    }

    private final java.util.Set<String> ambiguous = new java.util.HashSet<>();

    /** Symbol files that could not be used, and damaged lines in those that could. */
    public List<Problem> problems() {
        return List.copyOf(problems);
    }

    @Override
    public void close() {
        for (Optional<BreakpadSymbolFile> f : files.values()) {
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
