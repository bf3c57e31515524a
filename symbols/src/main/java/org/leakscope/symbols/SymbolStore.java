package org.leakscope.symbols;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
     * first; then, for a module whose path names an ELF file on this machine (or a file of that name in a
     * store root), its {@code .symtab}/{@code .dynsym}.
     */
    public Frame symbolize(Frame frame, Module module) {
        long rva = frame.address() - module.base();
        Optional<SymbolHit> hit = module.debugId() == null ? byName(module.name()).flatMap(f -> f.lookup(rva))
                : lookup(module.debugFile(), module.debugId(), rva);
        if (hit.isEmpty()) {
            hit = elf(module).flatMap(f -> f.lookup(rva));
        }
        return hit.map(h -> frame.withSymbol(h.function(), h.functionOffset(), h.sourceFile(), h.sourceLine()))
                .orElse(frame);
    }

    private final Map<String, Optional<ElfSymbolFile>> elfFiles = new HashMap<>();

    /** True when a module's path names an ELF file here: worth symbolizing a snapshot that has no store. */
    public static boolean hasLocalElf(Module module) {
        return module.path() != null && !module.path().isEmpty() && ElfSymbolFile.isElf(Path.of(module.path()));
    }

    private Optional<ElfSymbolFile> elf(Module module) {
        String key = module.path() == null ? module.name() : module.path();
        Optional<ElfSymbolFile> cached = elfFiles.get(key);
        if (cached != null) {
            return cached;
        }
        Optional<ElfSymbolFile> found = Optional.empty();
        List<Path> candidates = new ArrayList<>();
        for (Path root : roots) {
            candidates.add(root.resolve(module.name()));
        }
        if (module.path() != null && !module.path().isEmpty()) {
            try {
                candidates.add(Path.of(module.path()));
            } catch (java.nio.file.InvalidPathException e) {
                // a Windows path on Linux, or garbage: no ELF there
            }
        }
        for (Path p : candidates) {
            if (ElfSymbolFile.isElf(p)) {
                try {
                    found = Optional.of(ElfSymbolFile.open(p));
                    break;
                } catch (InputFormatException e) {
                    problems.add(Problem.of(e));
                } catch (IOException e) {
                    problems.add(new Problem(p.toString(), null, null, p + ": cannot read: " + e.getMessage()));
                }
            }
        }
        elfFiles.put(key, found);
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
