package org.leakscope.symbols.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Finds the files that may hold a module's symbols along a {@link SymbolPath}, and offers them one at a time
 * to the caller, who opens each and checks its identity: a file is never taken on its name alone.
 *
 * <p>Order: first everything already on this machine, then the network. Locally, each kind of file across
 * all entries in path order (folders, and the caches of servers); then each kind from each server in path
 * order. The kinds, for symbols: the Breakpad file {@code name/ID/name.sym}, then the PDB
 * {@code name.pdb/ID/name.pdb} (also two-tier, {@code na/name.pdb/ID/name.pdb}, in a folder holding
 * {@code index2.txt}, and {@code name.pdb} directly in the folder); for a program file:
 * {@code name.exe/CODEID/name.exe}, then {@code name.exe} directly in the folder (and its lower-case name:
 * Windows names are case-blind). The first candidate the caller accepts ends the search, so a server is only
 * asked when nothing local was the right build.
 */
public final class SymbolLocator implements AutoCloseable {
    private final SymbolPath path;
    private final SymbolServer servers;

    /** A file that may be the one: where it is, and the URL it was downloaded from (null for local files). */
    public record Candidate(Path path, String url) {
        /** The path, or the URL a downloaded file came from, as reports name a file's origin. */
        public String origin() {
            return url != null ? url : path.toString();
        }
    }

    /** One kind of file: its store folder, id folder and name, and whether a flat folder may hold it. */
    private record Wanted(String dir, String id, String file, boolean flat) {
    }

    /** Warnings (a failed download, a refused cabinet) go to {@code warn}. */
    public SymbolLocator(SymbolPath path, ServerOptions options, Consumer<String> warn) {
        this.path = path;
        this.servers = new SymbolServer(options, warn);
    }

    /**
     * The first of the module's symbol files the caller accepts: {@code sym} is offered Breakpad files,
     * {@code pdb} PDBs. Empty when a name or id is unsafe ({@link SafeNames}) or nothing is accepted.
     */
    public <T> Optional<T> symbols(String debugFile, String debugId, Function<Candidate, Optional<T>> sym,
            Function<Candidate, Optional<T>> pdb) {
        String name = SafeNames.fileName(debugFile);
        String id = SafeNames.debugId(debugId);
        if (name == null || id == null) {
            return Optional.empty();
        }
        String stem = name.toLowerCase(Locale.ROOT).endsWith(".pdb") ? name.substring(0, name.length() - 4) : name;
        List<Wanted> kinds = List.of(new Wanted(name, id, stem + ".sym", false), new Wanted(name, id, name, true));
        List<Function<Candidate, Optional<T>>> accept = List.of(sym, pdb);
        return find(kinds, accept);
    }

    /** The first program file {@code codeFile} of this code id (null: found by name only) the caller accepts. */
    public <T> Optional<T> binary(String codeFile, String codeId, Function<Candidate, Optional<T>> accept) {
        String name = SafeNames.fileName(codeFile);
        if (name == null) {
            return Optional.empty();
        }
        String id = SafeNames.codeId(codeId);
        List<Wanted> kinds = new ArrayList<>();
        String lower = name.toLowerCase(Locale.ROOT);
        kinds.add(new Wanted(name, id, name, true));
        if (!lower.equals(name)) {
            kinds.add(new Wanted(lower, id, lower, true));
        }
        return find(kinds, kinds.stream().map(k -> accept).toList());
    }

    private <T> Optional<T> find(List<Wanted> kinds, List<Function<Candidate, Optional<T>>> accept) {
        for (int k = 0; k < kinds.size(); k++) {
            Wanted w = kinds.get(k);
            for (SymbolPath.Entry e : path.entries()) {
                for (Candidate c : local(e, w)) {
                    Optional<T> t = accept.get(k).apply(c);
                    if (t.isPresent()) {
                        return t;
                    }
                }
            }
        }
        for (int k = 0; k < kinds.size(); k++) {
            Wanted w = kinds.get(k);
            if (w.id() == null) {
                continue; // servers file everything by id
            }
            for (SymbolPath.Entry e : path.entries()) {
                if (e instanceof SymbolPath.Server s) {
                    Optional<SymbolServer.Fetched> f = servers.download(s, w.dir(), w.id(), w.file());
                    if (f.isPresent()) {
                        Optional<T> t = accept.get(k).apply(new Candidate(f.get().file(), f.get().url()));
                        if (t.isPresent()) {
                            return t;
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The places a folder or a server's cache may hold the file, those that are regular files inside it. */
    private List<Candidate> local(SymbolPath.Entry e, Wanted w) {
        List<Candidate> found = new ArrayList<>();
        if (e instanceof SymbolPath.Server s) {
            if (w.id() != null) {
                servers.cached(s, w.dir(), w.id(), w.file())
                        .ifPresent(f -> found.add(new Candidate(f.file(), f.url())));
            }
            return found;
        }
        Path root = ((SymbolPath.Folder) e).dir();
        if (w.id() != null) {
            add(found, root, StoreFiles.inside(root, w.dir(), w.id(), w.file()));
            if (w.dir().length() > 2 && Files.isRegularFile(root.resolve("index2.txt"))) {
                add(found, root, StoreFiles.inside(root, w.dir().substring(0, 2), w.dir(), w.id(), w.file()));
            }
        }
        if (w.flat()) {
            add(found, root, StoreFiles.inside(root, w.file()));
        }
        return found;
    }

    private static void add(List<Candidate> found, Path root, Path p) {
        if (StoreFiles.regularInside(root, p)) {
            found.add(new Candidate(p, null));
        }
    }

    /** The servers' downloader, shared with {@link DebugFileLocator} so both keep one record of misses. */
    SymbolServer servers() {
        return servers;
    }

    @Override
    public void close() {
        servers.close();
    }
}
