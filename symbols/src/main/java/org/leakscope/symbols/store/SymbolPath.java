package org.leakscope.symbols.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Where symbols are looked for, in WinDbg's syntax: {@code ;}-separated entries, searched in order.
 * <ul>
 * <li>{@code DIR}: a folder: a Breakpad store ({@code name/ID/name.sym}), a Microsoft store
 * ({@code name.pdb/GUIDAGE/name.pdb}, {@code name.exe/TIMESTAMPSIZE/name.exe}, also two-tier with
 * {@code index2.txt}), or a flat folder of PDBs and program files;</li>
 * <li>{@code cache*DIR}: a folder searched like the others and the cache of the {@code srv*URL} entries after
 * it ({@code cache*} alone: the default cache);</li>
 * <li>{@code srv*CACHE*URL}: an HTTP(S) symbol server whose downloads are kept in CACHE (searched first);
 * {@code srv*URL} keeps them in the last {@code cache*} folder before it, else in the default cache
 * ({@link #defaultCache}); {@code srv*DIR} is a local store;</li>
 * <li>{@code symsrv*DLL*...}: a symbol server through a DLL, which only Windows' debuggers load: ignored, with
 * a warning.</li>
 * </ul>
 * An entry this cannot use is left out with a warning in {@link #warnings()}; it never stops a run.
 *
 * @param entries  the usable entries, in search order, each once
 * @param warnings what was left out and why
 */
public record SymbolPath(List<Entry> entries, List<String> warnings) {
    /** One place to look. */
    public sealed interface Entry permits Folder, Server {
    }

    /** A local folder in any of the layouts above. */
    public record Folder(Path dir) implements Entry {
    }

    /** An HTTP(S) server in Microsoft's or Breakpad's layout, with the folder its downloads are kept in. */
    public record Server(Path cache, URI url) implements Entry {
    }

    public SymbolPath {
        entries = List.copyOf(new LinkedHashSet<>(entries));
        warnings = List.copyOf(warnings);
    }

    /** No entries: nothing is looked up. */
    public static SymbolPath none() {
        return new SymbolPath(List.of(), List.of());
    }

    /** Plain folders, as {@code new SymbolStore(List<Path>)} took them. */
    public static SymbolPath folders(List<Path> dirs) {
        return new SymbolPath(dirs.stream().<Entry>map(Folder::new).toList(), List.of());
    }

    /**
     * The symbol path a run uses: each {@code --symbols-path} value in order, then the environment variables
     * {@code LEAKSCOPE_SYMBOL_PATH} and {@code _NT_SYMBOL_PATH} (so a WinDbg user's setting works unchanged,
     * and what is given on the command line is searched first).
     *
     * @param env the environment ({@code System::getenv}; a map in tests)
     */
    public static SymbolPath of(List<String> values, UnaryOperator<String> env) {
        List<String> texts = new ArrayList<>(values);
        for (String var : new String[] {"LEAKSCOPE_SYMBOL_PATH", "_NT_SYMBOL_PATH"}) {
            String v = env.apply(var);
            if (v != null && !v.isBlank()) {
                texts.add(v);
            }
        }
        return parse(String.join(";", texts), env);
    }

    /** One symbol path text ({@code srv*C:\symbols*https://msdl.microsoft.com/download/symbols;D:\syms}). */
    public static SymbolPath parse(String text, UnaryOperator<String> env) {
        List<Entry> entries = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Path cache = null; // the last cache*DIR: where srv*URL keeps its downloads
        for (String raw : text.split(";")) {
            String e = raw.strip();
            if (e.isEmpty()) {
                continue;
            }
            String[] parts = e.split("\\*", -1);
            String kind = parts.length > 1 ? parts[0].toLowerCase(Locale.ROOT) : "";
            try {
                switch (kind) {
                    case "" -> entries.add(new Folder(Path.of(e)));
                    case "cache" -> {
                        cache = parts[1].isBlank() ? defaultCache(env) : Path.of(parts[1].strip());
                        entries.add(new Folder(cache));
                    }
                    case "srv" -> server(e, parts, cache == null ? defaultCache(env) : cache, entries, warnings);
                    case "symsrv" -> warnings.add("symbol path entry " + e + ": symbol server DLLs are not loaded;"
                            + " write it as srv*CACHE*URL");
                    default -> warnings.add("symbol path entry " + e + ": unknown kind " + parts[0]
                            + "* (expected a folder, cache*DIR or srv*CACHE*URL)");
                }
            } catch (InvalidPathException ex) {
                warnings.add("symbol path entry " + e + ": not a path here (" + ex.getReason() + ")");
            }
        }
        return new SymbolPath(entries, warnings);
    }

    /** {@code srv*[CACHE*...]TARGET}: the first store is the cache, the last the server or a local store. */
    private static void server(String e, String[] parts, Path dflt, List<Entry> entries, List<String> warnings) {
        String target = parts[parts.length - 1].strip();
        Path cache = parts.length > 2 && !parts[1].isBlank() ? Path.of(parts[1].strip()) : dflt;
        if (parts.length > 3) {
            warnings.add("symbol path entry " + e + ": only the first store (" + cache + ") caches downloads;"
                    + " the ones between it and the server are not searched");
        }
        if (target.isEmpty()) {
            warnings.add("symbol path entry " + e + ": no server or store after srv*");
            return;
        }
        String lower = target.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
            if (parts.length > 2) {
                entries.add(new Folder(cache));
            }
            entries.add(new Folder(Path.of(target))); // srv*\\server\symbols: a store on a share is a folder
            return;
        }
        try {
            URI url = new URI(target.endsWith("/") ? target : target + "/");
            if (url.getHost() == null) {
                throw new URISyntaxException(target, "no host");
            }
            entries.add(new Server(cache, url));
        } catch (URISyntaxException ex) {
            warnings.add("symbol path entry " + e + ": not a URL (" + ex.getMessage() + ")");
        }
    }

    /**
     * Where {@code srv*URL} keeps downloads when no cache is named: {@code %LOCALAPPDATA%\leakscope\symbols} on
     * Windows, else {@code $XDG_CACHE_HOME/leakscope/symbols}, else {@code ~/.cache/leakscope/symbols}.
     */
    public static Path defaultCache(UnaryOperator<String> env) {
        String local = env.apply("LOCALAPPDATA");
        if (local != null && !local.isBlank() && System.getProperty("os.name", "").startsWith("Windows")) {
            return Path.of(local, "leakscope", "symbols");
        }
        String xdg = env.apply("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "leakscope", "symbols");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "leakscope", "symbols");
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The local folders, in order. */
    public List<Path> localFolders() {
        Set<Path> dirs = new LinkedHashSet<>();
        for (Entry e : entries) {
            if (e instanceof Folder f) {
                dirs.add(f.dir());
            }
        }
        return List.copyOf(dirs);
    }
}
