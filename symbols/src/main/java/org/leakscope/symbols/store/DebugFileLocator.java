package org.leakscope.symbols.store;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
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
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Problem;

/**
 * Finds the separate debug file of an ELF program: the DWARF that {@code objcopy --only-keep-debug}, Debian's
 * {@code -dbgsym} and Fedora's {@code -debuginfo} packages keep apart from a stripped program. In gdb's order,
 * local files before the network:
 * <ol>
 * <li>by build id: {@code ROOT/.build-id/ab/cdef….debug} under each system root ({@code /usr/lib/debug}) and
 * each folder of the symbol path; then the symbol-store key for ELF debug files
 * ({@code _.debug/elf-buildid-sym-abcdef…/_.debug}, Microsoft's SSQP convention) in those folders and in the
 * caches of the {@code srv*} servers and the debuginfod servers ({@code buildid/abcdef…/debuginfo});</li>
 * <li>by the program's {@code .gnu_debuglink} (a file name and the CRC32 of the debug file): next to the
 * program, in its {@code .debug/} folder, then under each system root at the program's own folder
 * ({@code /usr/lib/debug/usr/bin/name.debug});</li>
 * <li>over HTTP, through the same downloader, cache and record of misses as the symbol servers (and the same
 * {@code --offline}): the {@code srv*} servers by the store key, then the debuginfod servers
 * ({@code DEBUGINFOD_URLS}) by {@code GET URL/buildid/HEX/debuginfo}.</li>
 * </ol>
 * <b>Every candidate must have the program's build id</b> (its own {@code NT_GNU_BUILD_ID} note): a debug file of
 * another build at the right path, or under the debuglink's name, would give confidently wrong lines. One that
 * differs, has none, or fails the debuglink's CRC is refused with a {@link Problem} naming both values, and the
 * search goes on. A program without a build id can only be matched through its debuglink's CRC.
 */
public final class DebugFileLocator {
    /** Where Linux distributions install debug files. */
    public static final Path SYSTEM_ROOT = Path.of("/usr/lib/debug");
    /** At least 2 bytes (gdb's minimum), at most the 64 a note descriptor sensibly holds. */
    private static final Pattern BUILD_ID = Pattern.compile("(?:[0-9a-f]{2}){2,64}");
    private static final String STORE_NAME = "_.debug";
    private static final int CRC_BUFFER = 1 << 20;

    /**
     * Reads a debug file's GNU build id (lowercase hex; null when it has none); a file that is no ELF file is an
     * {@link IOException} or {@link InputFormatException}.
     */
    public interface BuildIdReader {
        String buildId(Path file) throws IOException;
    }

    /**
     * A program's {@code .gnu_debuglink}: the debug file's name (a bare file name) and its CRC32.
     *
     * @param name the file name recorded in the program
     * @param crc  the CRC32 of the whole debug file, unsigned
     */
    public record DebugLink(String name, long crc) {
    }

    /**
     * A debug file of the program's build.
     *
     * @param file where it is (for a download: in the server's cache)
     * @param url  the URL it was downloaded from, now or in an earlier run, or null when local
     * @param how  how it was found, for reports: {@code build id}, {@code .gnu_debuglink}, {@code symbol store},
     *             {@code debuginfod}
     */
    public record Found(Path file, String url, String how) {
    }

    /**
     * Where debug files are looked for beyond the symbol path.
     *
     * @param system     folders holding {@code .build-id/} trees and copies of the system's folders
     *                   ({@link #SYSTEM_ROOT})
     * @param debuginfod debuginfod servers, each with the folder its downloads are kept in
     * @param warnings   what could not be used ({@code DEBUGINFOD_URLS} entries that are not HTTP(S) URLs)
     */
    public record Roots(List<Path> system, List<SymbolPath.Server> debuginfod, List<String> warnings) {
        public Roots {
            system = List.copyOf(system);
            debuginfod = List.copyOf(debuginfod);
            warnings = List.copyOf(warnings);
        }

        /** Nothing beyond the symbol path. */
        public static Roots none() {
            return new Roots(List.of(), List.of(), List.of());
        }

        /**
         * This machine's: {@link #SYSTEM_ROOT} (not on Windows), and the servers of {@code DEBUGINFOD_URLS}
         * (space-separated, as elfutils reads it), kept in the symbol path's default cache.
         */
        public static Roots of(UnaryOperator<String> env) {
            List<Path> system = java.io.File.separatorChar == '/' ? List.of(SYSTEM_ROOT) : List.of();
            List<SymbolPath.Server> servers = new ArrayList<>();
            List<String> warnings = new ArrayList<>();
            String urls = env.apply("DEBUGINFOD_URLS");
            if (urls != null) {
                for (String u : urls.strip().split("\\s+")) {
                    if (u.isEmpty()) {
                        continue;
                    }
                    String lower = u.toLowerCase(Locale.ROOT);
                    try {
                        URI url = new URI(u.endsWith("/") ? u : u + "/");
                        if (!(lower.startsWith("http://") || lower.startsWith("https://")) || url.getHost() == null) {
                            throw new URISyntaxException(u, "not an HTTP(S) URL with a host");
                        }
                        servers.add(new SymbolPath.Server(SymbolPath.defaultCache(env), url));
                    } catch (URISyntaxException e) {
                        warnings.add("DEBUGINFOD_URLS entry " + u + ": not used (" + e.getMessage() + ")");
                    }
                }
            }
            return new Roots(system, servers, warnings);
        }
    }

    private final SymbolPath path;
    private final Roots roots;
    private final SymbolServer servers;
    private final BuildIdReader reader;
    private final Consumer<Problem> problems;
    /** The answer for each program and build id: a store asks once per module, several modules share files. */
    private final Map<String, Optional<Found>> answers = new HashMap<>();

    /**
     * @param locator  the symbol path's locator, whose downloader (cache, misses, {@code --offline}) is shared
     * @param reader   reads a candidate's build id
     * @param problems receives each refused candidate and each unusable root
     */
    public DebugFileLocator(SymbolLocator locator, SymbolPath path, Roots roots, BuildIdReader reader,
            Consumer<Problem> problems) {
        this.path = path;
        this.roots = roots;
        this.servers = locator.servers();
        this.reader = reader;
        this.problems = problems;
        for (String w : roots.warnings()) {
            problems.accept(new Problem("DEBUGINFOD_URLS", null, null, w));
        }
    }

    /**
     * The debug file of {@code program}, whose build id is {@code buildId} (lowercase hex, or null when it has
     * none) and whose {@code .gnu_debuglink} is {@code link} (or null); empty when none of its build is found.
     */
    public synchronized Optional<Found> find(Path program, String buildId, DebugLink link) {
        String id = buildId == null ? null : buildId.toLowerCase(Locale.ROOT);
        String key = program + "\0" + id;
        Optional<Found> known = answers.get(key);
        if (known == null) {
            known = search(program, id, link);
            answers.put(key, known);
        }
        return known;
    }

    private Optional<Found> search(Path program, String id, DebugLink link) {
        List<Path> folders = new ArrayList<>(new LinkedHashSet<>(roots.system()));
        for (Path f : path.localFolders()) {
            if (!folders.contains(f)) {
                folders.add(f);
            }
        }
        // an id no path may be built from (one byte, not hex) still decides whether a debuglink's file is the build
        boolean keyed = id != null && BUILD_ID.matcher(id).matches();
        Optional<Found> found = Optional.empty();
        if (keyed) {
            found = first(program, id, null, buildIdTrees(folders, id));
        }
        if (found.isEmpty() && link != null) {
            found = first(program, id, link, linked(program, link));
        }
        if (found.isEmpty() && keyed) {
            found = first(program, id, null, downloads(id));
        }
        return found;
    }

    /** A candidate not yet looked at: a download happens only when the candidates before it were refused. */
    private interface Source {
        Optional<Found> get();
    }

    /** The first candidate of the program's build; each refusal is a problem. */
    private Optional<Found> first(Path program, String id, DebugLink link, List<Source> sources) {
        Set<Path> seen = new LinkedHashSet<>();
        for (Source s : sources) {
            Optional<Found> c = s.get();
            if (c.isEmpty() || !seen.add(c.get().file()) || sameFile(program, c.get().file())) {
                continue;
            }
            if (accepted(program, id, link, c.get())) {
                return c;
            }
        }
        return Optional.empty();
    }

    private List<Source> buildIdTrees(List<Path> folders, String id) {
        String dir = id.substring(0, 2);
        String file = id.substring(2) + ".debug";
        String storeId = "elf-buildid-sym-" + id;
        List<Source> out = new ArrayList<>();
        for (Path root : folders) {
            out.add(() -> local(root, "build id", ".build-id", dir, file));
        }
        for (Path root : path.localFolders()) {
            out.add(() -> local(root, "symbol store", STORE_NAME, storeId, STORE_NAME));
        }
        for (SymbolPath.Entry e : path.entries()) {
            if (e instanceof SymbolPath.Server s) {
                out.add(() -> servers.cached(s, STORE_NAME, storeId, STORE_NAME)
                        .map(f -> new Found(f.file(), f.url(), "symbol store")));
            }
        }
        for (SymbolPath.Server s : roots.debuginfod()) {
            out.add(() -> servers.cached(s, "buildid", id, "debuginfo")
                    .map(f -> new Found(f.file(), f.url(), "debuginfod")));
        }
        return out;
    }

    /** gdb's places for a debuglink's file: beside the program, its {@code .debug/}, the system roots. */
    private List<Source> linked(Path program, DebugLink link) {
        String name = SafeNames.fileName(link.name());
        Path dir = program.toAbsolutePath().getParent();
        if (name == null || !name.equals(link.name()) || dir == null) {
            return List.of(); // a name with a folder in it, or one no folder can hold: never followed
        }
        List<Source> out = new ArrayList<>();
        out.add(() -> file(dir.resolve(name)));
        out.add(() -> file(dir.resolve(".debug").resolve(name)));
        for (Path root : roots.system()) {
            Path under = root;
            for (Path part : dir) {
                under = under.resolve(part.toString());
            }
            Path p = under.resolve(name);
            out.add(() -> file(p));
        }
        return out;
    }

    private List<Source> downloads(String id) {
        String storeId = "elf-buildid-sym-" + id;
        List<Source> out = new ArrayList<>();
        for (SymbolPath.Entry e : path.entries()) {
            if (e instanceof SymbolPath.Server s) {
                out.add(() -> servers.download(s, STORE_NAME, storeId, STORE_NAME)
                        .map(f -> new Found(f.file(), f.url(), "symbol store")));
            }
        }
        for (SymbolPath.Server s : roots.debuginfod()) {
            out.add(() -> servers.download(s, "buildid", id, "debuginfo", false)
                    .map(f -> new Found(f.file(), f.url(), "debuginfod")));
        }
        return out;
    }

    private static Optional<Found> local(Path root, String how, String... parts) {
        Path p = StoreFiles.inside(root, parts);
        return StoreFiles.regularInside(root, p) ? Optional.of(new Found(p, null, how)) : Optional.empty();
    }

    private static Optional<Found> file(Path p) {
        return Files.isRegularFile(p) ? Optional.of(new Found(p, null, ".gnu_debuglink")) : Optional.empty();
    }

    /** True when the candidate is of the program's build; otherwise a problem says why it is not used. */
    private boolean accepted(Path program, String id, DebugLink link, Found c) {
        String where = c.url() != null ? c.url() : c.file().toString();
        try {
            if (link != null) {
                long crc = crc32(c.file());
                if (crc != link.crc()) {
                    refuse(c, "ignoring " + where + ": its CRC32 is " + hex(crc) + ", the .gnu_debuglink of "
                            + program + " asks for " + hex(link.crc()));
                    return false;
                }
            }
            String theirs = reader.buildId(c.file());
            if (id == null) {
                return true; // no build id on the program: the debuglink's CRC is all there is, and it agreed
            }
            if (theirs == null || !theirs.equalsIgnoreCase(id)) {
                refuse(c, "ignoring " + where + ": build id " + (theirs == null ? "none" : theirs)
                        + ", the program's is " + id + " (" + program + ")");
                return false;
            }
            return true;
        } catch (IOException | InputFormatException e) {
            refuse(c, "ignoring " + where + ": " + e.getMessage());
            return false;
        }
    }

    private void refuse(Found c, String message) {
        problems.accept(new Problem(c.file().toString(), null, null, message));
    }

    private static boolean sameFile(Path program, Path candidate) {
        try {
            return Files.isSameFile(program, candidate);
        } catch (IOException e) {
            return false;
        }
    }

    /** The CRC32 of the whole file (as {@code objcopy --add-gnu-debuglink} computes it), read a MiB at a time. */
    static long crc32(Path p) throws IOException {
        CRC32 crc = new CRC32();
        ByteBuffer b = ByteBuffer.allocateDirect(CRC_BUFFER);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            while (ch.read(b) >= 0) {
                b.flip();
                crc.update(b);
                b.clear();
            }
        }
        return crc.getValue();
    }

    private static String hex(long v) {
        return String.format("0x%08x", v);
    }
}
