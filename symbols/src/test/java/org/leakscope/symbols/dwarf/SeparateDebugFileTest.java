package org.leakscope.symbols.dwarf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.model.DebugIds;
import org.leakscope.model.Frame;
import org.leakscope.model.Module;
import org.leakscope.model.Problem;
import org.leakscope.symbols.ElfSymbolFile;
import org.leakscope.symbols.SymbolHit;
import org.leakscope.symbols.SymbolOrigin;
import org.leakscope.symbols.SymbolStore;
import org.leakscope.symbols.store.DebugFileLocator.Roots;
import org.leakscope.symbols.store.ServerOptions;
import org.leakscope.symbols.store.SymbolPath;

/**
 * Separate debug files, as distributions ship them: gcc builds a small C program with {@code -g}, objcopy splits
 * it ({@code --only-keep-debug}, {@code --strip-debug}, {@code --add-gnu-debuglink}), and the symbol store, given
 * only the stripped program, finds the debug file (in a build-id tree, through the debuglink, from a debuginfod
 * server this test starts on 127.0.0.1) and names every function with the file and line the unstripped program
 * gives. A debug file of another build at the right path, or one whose CRC is not the debuglink's, is refused
 * with a problem saying why.
 */
class SeparateDebugFileTest {
    private static final String SOURCE = """
            #include <stdlib.h>
            #include <string.h>
            static char *keep;
            void *leak_small(int n) {
                return malloc(n + 16);
            }
            char *leak_copy(const char *s) {
                char *p = malloc(strlen(s) + 1);
                strcpy(p, s);
                return p;
            }
            int work(int n) {
            #ifdef OTHER_BUILD
                n += 7;
            #endif
                keep = leak_copy("held");
                return leak_small(n) != 0;
            }
            int main(int argc, char **argv) {
                (void) argv;
                return work(argc) + (keep != 0);
            }
            """;
    private static final long BASE = 0x5555_5555_4000L;

    @TempDir
    Path tmp;
    private Path full;
    private Path debug;
    private Path stripped;
    private String buildId;

    private HttpServer server;
    private final Map<String, byte[]> served = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void build() throws IOException {
        full = compile("this", List.of());
        debug = tmp.resolve("prog.debug");
        Toolchain.require("objcopy");
        Toolchain.run(List.of("objcopy", "--only-keep-debug", full.toString(), debug.toString()), null);
        stripped = Files.createDirectories(tmp.resolve("bin")).resolve("prog");
        Toolchain.run(List.of("objcopy", "--strip-debug", full.toString(), stripped.toString()), null);
        buildId = ElfSymbolFile.open(full).buildId();
        assertNotNull(buildId, "gcc wrote no build id");
        assertEquals(buildId, ElfSymbolFile.open(debug).buildId());
        assertTrue(DwarfSymbols.open(debug).hasDebugInfo());
        assertTrue(!DwarfSymbols.open(stripped).hasDebugInfo(), "objcopy --strip-debug left .debug_info");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** The program, built in its own folder ({@code build}) with these extra flags. */
    private Path compile(String build, List<String> defines) throws IOException {
        Path d = Files.createDirectories(tmp.resolve("build-" + build));
        List<String> flags = new ArrayList<>(List.of("-x", "c", "-g", "-O0", "-Wl,--build-id"));
        flags.addAll(defines);
        return Toolchain.build("gcc", d, "prog", SOURCE, flags, List.of());
    }

    /** {@code root/.build-id/ab/cdef….debug}, as a -dbgsym package installs it. */
    private Path inBuildIdTree(Path root, Path file) throws IOException {
        Path p = root.resolve(".build-id").resolve(buildId.substring(0, 2)).resolve(buildId.substring(2) + ".debug");
        Files.createDirectories(p.getParent());
        return Files.copy(file, p);
    }

    private Module module(Path program) {
        return new Module(BASE, 0x10000, program.toString(), program.getFileName().toString(),
                DebugIds.elf(HexFormat.of().parseHex(buildId)), null, buildId);
    }

    private static SymbolStore store(Roots roots, boolean offline) {
        return new SymbolStore(SymbolPath.none(), new ServerOptions(offline, Duration.ofSeconds(10),
                Duration.ofSeconds(10), 1 << 24, Duration.ofDays(1)), roots);
    }

    private static Roots system(Path root) {
        return new Roots(List.of(root), List.of(), List.of());
    }

    /** Two offsets in every function of the program: its first instruction and one in its middle. */
    private List<Long> offsets() throws IOException {
        List<Long> out = new ArrayList<>();
        for (ElfSymbolFile.Symbol s : ElfSymbolFile.open(full).symbols()) {
            if (s.size() > 0) {
                out.add(s.moduleOffset());
                out.add(s.moduleOffset() + s.size() / 2);
            }
        }
        assertTrue(out.size() >= 8, out.toString());
        return out;
    }

    private static Frame frame(SymbolStore store, Module m, long offset) {
        return store.symbolize(Frame.unresolved(BASE + offset).withModule("prog", offset), m);
    }

    /** The stripped program, symbolized through the store, gives the unstripped program's function, file, line. */
    private void assertSameAnswers(SymbolStore store, Module m) throws IOException {
        DwarfSymbols reference = DwarfSymbols.open(full);
        int lines = 0;
        for (long off : offsets()) {
            SymbolHit want = reference.lookup(off).orElseThrow();
            Frame got = frame(store, m, off);
            String at = "offset 0x" + Long.toHexString(off);
            assertEquals(want.function(), got.function(), at);
            assertEquals(want.functionOffset(), got.functionOffset(), at);
            assertEquals(want.sourceFile(), got.sourceFile(), at);
            assertEquals(want.sourceLine(), got.sourceLine(), at);
            lines += got.sourceLine() != null ? 1 : 0;
        }
        assertTrue(lines >= 8, lines + " frames with a line");
        // and a concrete one: leak_small's malloc call is on line 5 of the source
        long leakSmall = ElfSymbolFile.open(full).symbols().stream().filter(s -> s.name().equals("leak_small"))
                .findFirst().orElseThrow().moduleOffset();
        Frame f = frame(store, m, leakSmall);
        assertEquals("leak_small", f.function());
        assertTrue(f.sourceFile().endsWith("prog.cpp"), f.sourceFile());
        assertEquals(4, f.sourceLine()); // the function's first row: its opening line
    }

    private static List<String> messages(SymbolStore store) {
        return store.problems().stream().map(Problem::message).toList();
    }

    @Test
    void strippedProgramHasNoLinesWithoutItsDebugFile() throws IOException {
        try (SymbolStore store = store(system(tmp.resolve("empty-root")), false)) {
            Frame f = frame(store, module(stripped), offsets().get(0));
            assertNotNull(f.function(), "the stripped program's .symtab still names it");
            assertNull(f.sourceLine());
            assertEquals(SymbolOrigin.Status.FOUND, store.origins().get(0).status());
            assertEquals(stripped.toString(), store.origins().get(0).file());
        }
    }

    @Test
    void buildIdTreeGivesTheUnstrippedAnswers() throws IOException {
        Path root = tmp.resolve("usr-lib-debug");
        Path placed = inBuildIdTree(root, debug);
        try (SymbolStore store = store(system(root), false)) {
            assertSameAnswers(store, module(stripped));
            SymbolOrigin o = store.origins().get(0);
            assertEquals(placed.toString(), o.file());
            assertEquals("separate debug file of " + stripped + ", found by build id", o.detail());
            assertEquals(List.of(), messages(store));
        }
    }

    @Test
    void buildIdTreeInASymbolPathFolder() throws IOException {
        Path folder = tmp.resolve("syms");
        Path placed = inBuildIdTree(folder, debug);
        try (SymbolStore store = new SymbolStore(SymbolPath.folders(List.of(folder)), ServerOptions.defaults(),
                Roots.none())) {
            assertSameAnswers(store, module(stripped));
            assertEquals(placed.toString(), store.origins().get(0).file());
        }
    }

    @Test
    void debugLinkWithItsCrcGivesTheUnstrippedAnswers() throws IOException {
        Path linked = linkedCopy();
        Path hidden = Files.createDirectories(linked.resolveSibling(".debug")).resolve("prog.debug");
        Files.copy(debug, hidden);
        try (SymbolStore store = store(Roots.none(), false)) {
            assertSameAnswers(store, module(linked));
            assertEquals(hidden.toString(), store.origins().get(0).file());
            assertEquals("separate debug file of " + linked + ", found by .gnu_debuglink",
                    store.origins().get(0).detail());
        }
    }

    @Test
    void debugLinkWithAnotherCrcIsRefused() throws IOException {
        Path linked = linkedCopy();
        // the same build (same build id), but not the bytes the debuglink's CRC was taken of
        Path beside = linked.resolveSibling("prog.debug");
        Files.copy(debug, beside);
        Files.write(beside, new byte[] {0}, StandardOpenOption.APPEND);
        try (SymbolStore store = store(Roots.none(), false)) {
            Frame f = frame(store, module(linked), offsets().get(0));
            assertNull(f.sourceLine());
            String refusal = messages(store).stream().filter(s -> s.contains("CRC32")).findFirst().orElseThrow();
            assertTrue(refusal.startsWith("ignoring " + beside + ": its CRC32 is 0x"), refusal);
            assertTrue(refusal.contains("the .gnu_debuglink of " + linked + " asks for 0x"), refusal);
        }
        // with the right file in the next place gdb looks, that one is used
        Path hidden = Files.createDirectories(linked.resolveSibling(".debug")).resolve("prog.debug");
        Files.copy(debug, hidden);
        try (SymbolStore store = store(Roots.none(), false)) {
            assertSameAnswers(store, module(linked));
            assertEquals(hidden.toString(), store.origins().get(0).file());
        }
    }

    /** The stripped program with a debuglink to prog.debug, alone in a folder. */
    private Path linkedCopy() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("linked"));
        Path linked = dir.resolve("prog");
        Toolchain.run(List.of("objcopy", "--add-gnu-debuglink=" + debug, stripped.toString(), linked.toString()),
                null);
        return linked;
    }

    @Test
    void debugFileOfAnotherBuildIsRefusedWithBothIds() throws IOException {
        Path other = compile("other", List.of("-DOTHER_BUILD"));
        String otherId = ElfSymbolFile.open(other).buildId();
        assertNotEquals(buildId, otherId);
        Path otherDebug = tmp.resolve("other.debug");
        Toolchain.run(List.of("objcopy", "--only-keep-debug", other.toString(), otherDebug.toString()), null);
        Path root = tmp.resolve("usr-lib-debug");
        Path placed = inBuildIdTree(root, otherDebug);
        try (SymbolStore store = store(system(root), false)) {
            Frame f = frame(store, module(stripped), offsets().get(0));
            assertNull(f.sourceLine());
            assertEquals(List.of("ignoring " + placed + ": build id " + otherId + ", the program's is " + buildId
                    + " (" + stripped + ")"), messages(store));
            assertEquals(stripped.toString(), store.origins().get(0).file());
        }
    }

    private String startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::serve);
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/debuginfod";
    }

    private void serve(HttpExchange x) throws IOException {
        requests.add(x.getRequestURI().getRawPath());
        try (x) {
            byte[] body = served.get(x.getRequestURI().getRawPath());
            if (body == null) {
                x.sendResponseHeaders(404, -1);
                return;
            }
            x.sendResponseHeaders(200, body.length);
            try (OutputStream o = x.getResponseBody()) {
                o.write(body);
            }
        }
    }

    @Test
    void debuginfodServerByBuildIdThenOfflineFromItsCache() throws IOException {
        String url = startServer();
        String wanted = "/debuginfod/buildid/" + buildId + "/debuginfo";
        served.put(wanted, Files.readAllBytes(debug));
        Path cache = tmp.resolve("cache");
        Roots roots = Roots.of(Map.of("DEBUGINFOD_URLS", "  " + url + "  ",
                "XDG_CACHE_HOME", cache.toString())::get);
        Roots online = new Roots(List.of(), roots.debuginfod(), List.of());
        try (SymbolStore store = store(online, false)) {
            assertSameAnswers(store, module(stripped));
            SymbolOrigin o = store.origins().get(0);
            assertEquals(url + "/buildid/" + buildId + "/debuginfo", o.url());
            assertEquals("separate debug file of " + stripped + ", found by debuginfod", o.detail());
            assertTrue(Files.isRegularFile(Path.of(o.file())), o.file());
            assertTrue(Path.of(o.file()).startsWith(cache), o.file());
        }
        assertEquals(List.of(wanted), requests);
        requests.clear();
        try (SymbolStore store = store(online, true)) {
            assertSameAnswers(store, module(stripped)); // from the cache the first run filled
        }
        assertEquals(List.of(), requests);
    }

    @Test
    void offlineAsksNoDebuginfodServer() throws IOException {
        String url = startServer();
        served.put("/debuginfod/buildid/" + buildId + "/debuginfo", Files.readAllBytes(debug));
        Roots roots = new Roots(List.of(), List.of(new SymbolPath.Server(tmp.resolve("cache"),
                URI.create(url + "/"))), List.of());
        try (SymbolStore store = store(roots, true)) {
            assertNull(frame(store, module(stripped), offsets().get(0)).sourceLine());
        }
        assertEquals(List.of(), requests);
    }

    @Test
    void debuginfodFileOfAnotherBuildIsRefused() throws IOException {
        String url = startServer();
        Path other = compile("other", List.of("-DOTHER_BUILD"));
        Path otherDebug = tmp.resolve("other.debug");
        Toolchain.run(List.of("objcopy", "--only-keep-debug", other.toString(), otherDebug.toString()), null);
        served.put("/debuginfod/buildid/" + buildId + "/debuginfo", Files.readAllBytes(otherDebug));
        Roots roots = new Roots(List.of(), List.of(new SymbolPath.Server(tmp.resolve("cache"),
                URI.create(url + "/"))), List.of());
        try (SymbolStore store = store(roots, false)) {
            assertNull(frame(store, module(stripped), offsets().get(0)).sourceLine());
            String otherId = ElfSymbolFile.open(other).buildId();
            assertEquals(List.of("ignoring " + url + "/buildid/" + buildId + "/debuginfo: build id " + otherId
                    + ", the program's is " + buildId + " (" + stripped + ")"), messages(store));
        }
    }

    /** Microsoft's key for an ELF debug file (SSQP), in a local store and from a {@code srv*} server. */
    @Test
    void symbolStoreKeyLocallyAndFromAServer() throws IOException {
        String key = "_.debug/elf-buildid-sym-" + buildId + "/_.debug";
        Path store = tmp.resolve("store");
        Path placed = Files.createDirectories(store.resolve(key).getParent()).resolve("_.debug");
        Files.copy(debug, placed);
        try (SymbolStore symbols = new SymbolStore(SymbolPath.folders(List.of(store)), ServerOptions.defaults(),
                Roots.none())) {
            assertSameAnswers(symbols, module(stripped));
            assertEquals(placed.toString(), symbols.origins().get(0).file());
            assertEquals("separate debug file of " + stripped + ", found by symbol store",
                    symbols.origins().get(0).detail());
        }
        String url = startServer();
        served.put("/debuginfod/" + key, Files.readAllBytes(debug));
        SymbolPath srv = SymbolPath.parse("srv*" + tmp.resolve("srv-cache") + "*" + url, k -> null);
        try (SymbolStore symbols = new SymbolStore(srv, ServerOptions.defaults(), Roots.none())) {
            assertSameAnswers(symbols, module(stripped));
            assertEquals(url + "/" + key, symbols.origins().get(0).url());
        }
        assertTrue(requests.contains("/debuginfod/" + key), requests.toString());
    }

    /**
     * A program linked without a build id ({@code -Wl,--build-id=none}) has only its debuglink: the CRC is the
     * whole identity, and the file of that CRC is used.
     */
    @Test
    void programWithoutBuildIdIsMatchedByTheDebuglinkCrc() throws IOException {
        Path d = Files.createDirectories(tmp.resolve("build-noid"));
        Path noId = Toolchain.build("gcc", d, "prog", SOURCE, List.of("-x", "c", "-g", "-O0", "-Wl,--build-id=none"),
                List.of());
        Path noIdDebug = d.resolve("prog.debug");
        Toolchain.run(List.of("objcopy", "--only-keep-debug", noId.toString(), noIdDebug.toString()), null);
        Path dir = Files.createDirectories(tmp.resolve("noid"));
        Path linked = dir.resolve("prog");
        Toolchain.run(List.of("objcopy", "--strip-debug", "--add-gnu-debuglink=" + noIdDebug, noId.toString(),
                linked.toString()), null);
        Files.copy(noIdDebug, dir.resolve("prog.debug"));
        ElfSymbolFile elf = ElfSymbolFile.open(linked);
        assertNull(elf.buildId());
        Module m = new Module(BASE, 0x10000, linked.toString(), "prog", elf.debugId(), null, null);
        long leakSmall = elf.symbols().stream().filter(s -> s.name().equals("leak_small")).findFirst().orElseThrow()
                .moduleOffset();
        try (SymbolStore store = store(Roots.none(), false)) {
            Frame f = frame(store, m, leakSmall);
            assertEquals("leak_small", f.function());
            assertEquals(4, f.sourceLine());
            assertEquals(dir.resolve("prog.debug").toString(), store.origins().get(0).file());
        }
    }

    /** A download larger than the servers' size limit is refused as symbol servers' are, and nothing is used. */
    @Test
    void debuginfodDownloadOverTheSizeLimitIsRefused() throws IOException {
        String url = startServer();
        served.put("/debuginfod/buildid/" + buildId + "/debuginfo", Files.readAllBytes(debug));
        Roots roots = new Roots(List.of(), List.of(new SymbolPath.Server(tmp.resolve("cache"),
                URI.create(url + "/"))), List.of());
        ServerOptions small = new ServerOptions(false, Duration.ofSeconds(10), Duration.ofSeconds(10), 1024,
                Duration.ofDays(1));
        try (SymbolStore store = new SymbolStore(SymbolPath.none(), small, roots)) {
            assertNull(frame(store, module(stripped), offsets().get(0)).sourceLine());
            assertEquals(List.of("symbol server: " + url + "/buildid/" + buildId + "/debuginfo: download failed: "
                    + Files.size(debug) + " bytes, more than the limit of 1024"), messages(store));
        }
        assertFalse(Files.exists(tmp.resolve("cache").resolve("buildid").resolve(buildId).resolve("debuginfo")));
    }

    /** A debuglink naming a path ({@code ../p.debug}) is never followed out of the program's folders. */
    @Test
    void debugLinkWithAPathIsNotFollowed() throws IOException {
        Path linked = linkedCopy();
        byte[] bytes = Files.readAllBytes(linked);
        byte[] name = "prog.debug\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int at = indexOf(bytes, name);
        assertTrue(at > 0, "the debuglink's name");
        System.arraycopy("../p.debug".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, bytes, at, 10);
        Files.write(linked, bytes);
        Files.copy(debug, linked.getParent().getParent().resolve("p.debug"));
        try (SymbolStore store = store(Roots.none(), false)) {
            assertNull(frame(store, module(linked), offsets().get(0)).sourceLine());
            assertEquals(linked.toString(), store.origins().get(0).file());
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void debuginfodUrlsAreParsedAsElfutilsReadsThem() {
        Roots r = Roots.of(Map.of("DEBUGINFOD_URLS", "https://debuginfod.example.org  http://h:8002/x ftp://no",
                "XDG_CACHE_HOME", "/c")::get);
        assertEquals(List.of("https://debuginfod.example.org/", "http://h:8002/x/"),
                r.debuginfod().stream().map(s -> s.url().toString()).toList());
        assertEquals(Path.of("/c", "leakscope", "symbols"), r.debuginfod().get(0).cache());
        assertEquals(1, r.warnings().size());
        assertTrue(r.warnings().get(0).startsWith("DEBUGINFOD_URLS entry ftp://no: not used"), r.warnings().get(0));
    }
}
