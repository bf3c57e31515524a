package org.leakscope.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.model.Frame;
import org.leakscope.model.Module;
import org.leakscope.model.Problem;
import org.leakscope.symbols.SymbolOrigin.Status;
import org.leakscope.symbols.store.CabWriter;
import org.leakscope.symbols.store.ServerOptions;
import org.leakscope.symbols.store.SymbolPath;

/**
 * Symbol servers in both layouts, served by a server this test starts on 127.0.0.1: downloads into the cache,
 * a second run offline from it, misses remembered, and every failure (404, time-out, a truncated download, a
 * PDB of another build under the right name, a name that tries to leave the folder) reported and never used.
 */
class SymbolServerTest {
    private static final String ID = "5A9832E5287241C1838ED98914E9B7FF1";
    private static final String OTHER_ID = "0123456789ABCDEF0123456789ABCDEF2";
    private static final long BASE = 0x1_4000_0000L;

    @TempDir
    Path tmp;
    private HttpServer server;
    /** What the server holds, by request path; {@code null} values are absent (404). */
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile long sleepMillis;
    private volatile int extraLength;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::serve);
        server.start();
        FakePdb.OPENED.clear();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void serve(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getRawPath();
        requests.add(path);
        try (x) {
            if (sleepMillis > 0) {
                Thread.sleep(sleepMillis);
            }
            byte[] body = files.get(path);
            if (body == null) {
                x.sendResponseHeaders(404, -1);
                return;
            }
            x.sendResponseHeaders(200, body.length + extraLength);
            try (OutputStream o = x.getResponseBody()) {
                o.write(body);
            } catch (IOException e) {
                // the announced length was not reached: the truncated download the test asks for
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/symbols";
    }

    private SymbolPath path() {
        return SymbolPath.parse("srv*" + tmp.resolve("cache") + "*" + url(), k -> null);
    }

    private static ServerOptions options(boolean offline) {
        return new ServerOptions(offline, Duration.ofSeconds(10), Duration.ofSeconds(10), 1 << 20, Duration.ofDays(1));
    }

    /** One second of silence is enough: for the tests of a server that does not answer. */
    private static ServerOptions impatient() {
        return new ServerOptions(false, Duration.ofSeconds(10), Duration.ofSeconds(1), 1 << 20, Duration.ofDays(1));
    }

    private SymbolStore store(ServerOptions o) {
        return new SymbolStore(path(), o, FakePdb.OPENER);
    }

    private static Module module(String debugFile, String debugId) {
        return new Module(BASE, 0x10000, "C:\\app\\app.exe", debugFile, debugId, null);
    }

    private static String name(SymbolStore store, Module m, long rva) {
        return store.symbolize(Frame.unresolved(BASE + rva).withModule(m.name(), rva), m).describe();
    }

    private static List<String> messages(SymbolStore store) {
        return store.problems().stream().map(Problem::message).toList();
    }

    private static String sym(String id) {
        return "MODULE windows x86_64 " + id + " app.pdb\nFUNC 1000 40 0 Cache::Insert\n";
    }

    /** The cache's files, relative, without the misses folder. */
    private List<String> cached() throws IOException {
        Path cache = tmp.resolve("cache");
        if (!Files.isDirectory(cache)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(cache)) {
            return s.filter(Files::isRegularFile).map(p -> cache.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> !p.startsWith(".leakscope-misses/")).sorted().toList();
        }
    }

    @Test
    void breakpadLayoutIsDownloadedOnceThenReadOfflineFromTheCache() throws IOException {
        files.put("/symbols/app.pdb/" + ID + "/app.sym", sym(ID).getBytes(StandardCharsets.US_ASCII));
        Module m = module("c:\\build\\app.pdb", ID);
        try (SymbolStore store = store(options(false))) {
            assertEquals("app.exe!Cache::Insert+0x10", name(store, m, 0x1010), messages(store).toString());
            assertEquals("app.exe!Cache::Insert+0x20", name(store, m, 0x1020));
            assertEquals(List.of(new SymbolOrigin("app.exe", ID, Status.FOUND,
                    tmp.resolve("cache/app.pdb/" + ID + "/app.sym").toString(),
                    url() + "/app.pdb/" + ID + "/app.sym", null)), store.origins());
            assertEquals(List.of(), store.problems());
        }
        assertEquals(List.of("/symbols/app.pdb/" + ID + "/app.sym"), requests);
        assertEquals(List.of("app.pdb/" + ID + "/app.sym"), cached()); // no temp file left beside it
        server.stop(0);
        try (SymbolStore offline = store(options(true))) {
            assertEquals("app.exe!Cache::Insert+0x10", name(offline, m, 0x1010));
            assertEquals(Status.FOUND, offline.origins().get(0).status());
        }
        assertEquals(1, requests.size());
    }

    @Test
    void microsoftLayoutPdbAndCompressedPdbAreDownloaded() throws IOException {
        files.put("/symbols/app.pdb/" + ID + "/app.pdb", FakePdb.bytes(ID, "App::Run"));
        files.put("/symbols/lib.pdb/" + OTHER_ID + "/lib.pd_", CabWriter.mszip(FakePdb.bytes(OTHER_ID, "Lib::Leak"),
                "lib.pdb"));
        Module app = module("app.pdb", ID);
        Module lib = new Module(0x1_8000_0000L, 0x10000, "C:\\app\\lib.dll", "lib.pdb", OTHER_ID, null);
        try (SymbolStore store = store(options(false))) {
            assertEquals("app.exe!App::Run+0x234", name(store, app, 0x1234));
            Frame f = store.symbolize(Frame.unresolved(0x1_8000_1010L).withModule("lib.dll", 0x1010), lib);
            assertEquals("lib.dll!Lib::Leak+0x10", f.describe());
            assertEquals(url() + "/lib.pdb/" + OTHER_ID + "/lib.pd_", store.origins().get(1).url());
            assertEquals(List.of(), store.problems());
        }
        assertEquals(List.of("app.pdb/" + ID + "/app.pdb", "lib.pdb/" + OTHER_ID + "/lib.pdb"), cached());
        assertEquals(List.of("/symbols/app.pdb/" + ID + "/app.sym", "/symbols/app.pdb/" + ID + "/app.pdb",
                "/symbols/lib.pdb/" + OTHER_ID + "/lib.sym", "/symbols/lib.pdb/" + OTHER_ID + "/lib.pdb",
                "/symbols/lib.pdb/" + OTHER_ID + "/lib.pd_"), requests);
    }

    @Test
    void aMissIsRememberedForTheRunAndInTheCache() throws IOException {
        Module m = module("app.pdb", ID);
        try (SymbolStore store = store(options(false))) {
            assertEquals("app.exe+0x1010", name(store, m, 0x1010));
            assertEquals("app.exe+0x1020", name(store, m, 0x1020));
            assertEquals(List.of(new SymbolOrigin("app.exe", ID, Status.MISSING, null, null, null)), store.origins());
        }
        assertEquals(List.of("/symbols/app.pdb/" + ID + "/app.sym", "/symbols/app.pdb/" + ID + "/app.pdb",
                "/symbols/app.pdb/" + ID + "/app.pd_"), requests);
        try (SymbolStore next = store(options(false))) {
            assertEquals("app.exe+0x1010", name(next, m, 0x1010));
        }
        assertEquals(3, requests.size()); // the next run believes the cache's record of the misses
        try (SymbolStore expired = store(new ServerOptions(false, Duration.ofSeconds(10), Duration.ofSeconds(10),
                1 << 20, Duration.ZERO))) {
            assertEquals("app.exe+0x1010", name(expired, m, 0x1010));
        }
        assertEquals(6, requests.size()); // records older than the time-to-live are not believed
        try (SymbolStore offline = new SymbolStore(SymbolPath.parse("srv*" + tmp.resolve("empty") + "*" + url(),
                k -> null), options(true), FakePdb.OPENER)) {
            assertEquals("app.exe+0x1010", name(offline, m, 0x1010));
        }
        assertEquals(6, requests.size()); // offline: the network is never asked
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aServerThatDoesNotAnswerTimesOut() {
        files.put("/symbols/app.pdb/" + ID + "/app.sym", sym(ID).getBytes(StandardCharsets.US_ASCII));
        sleepMillis = 8000;
        long start = System.nanoTime();
        try (SymbolStore store = store(impatient())) {
            assertEquals("app.exe+0x1010", name(store, module("app.pdb", ID), 0x1010));
            assertEquals(List.of("symbol server: " + url() + "/app.pdb/" + ID + "/app.sym: timed out (request timed"
                    + " out); " + url() + "/ is not asked again in this run"), messages(store));
        }
        assertEquals(1, requests.size());
        assertTrue(System.nanoTime() - start < 6_000_000_000L, "the request gives up long before the server answers");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aServerThatStopsSendingTimesOut() throws IOException {
        files.put("/symbols/app.pdb/" + ID + "/app.sym", sym(ID).getBytes(StandardCharsets.US_ASCII));
        extraLength = 1000; // the JDK's server keeps the connection open, waiting for bytes that never come
        long start = System.nanoTime();
        try (SymbolStore store = store(impatient())) {
            assertEquals("app.exe+0x1010", name(store, module("app.pdb", ID), 0x1010));
            assertEquals(List.of("symbol server: " + url() + "/app.pdb/" + ID + "/app.sym: timed out (no data for"
                    + " 1000 ms); " + url() + "/ is not asked again in this run"), messages(store));
        }
        assertEquals(1, requests.size());
        assertTrue(System.nanoTime() - start < 6_000_000_000L);
        assertEquals(List.of(), cached());
    }

    @Test
    void aServerThatRefusesConnectionsIsAskedOnce() {
        server.stop(0);
        try (SymbolStore store = store(options(false))) {
            assertEquals("app.exe+0x1010", name(store, module("app.pdb", ID), 0x1010));
            Module lib = new Module(0x1_8000_0000L, 0x10000, "C:\\app\\lib.dll", "lib.pdb", OTHER_ID, null);
            store.symbolize(Frame.unresolved(0x1_8000_1010L).withModule("lib.dll", 0x1010), lib);
            List<String> m = messages(store);
            assertEquals(1, m.size(), m.toString());
            assertTrue(m.get(0).startsWith("symbol server: " + url() + "/app.pdb/" + ID + "/app.sym: cannot connect ("),
                    m.get(0));
            assertTrue(m.get(0).endsWith("); " + url() + "/ is not asked again in this run"), m.get(0));
        }
    }

    /** A server that announces 2000 bytes, sends 100 and closes the connection. */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aTruncatedDownloadIsNotUsedNorCached() throws IOException {
        try (ServerSocket raw = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                for (int i = 0; i < 3; i++) {
                    try (Socket c = raw.accept()) {
                        c.getInputStream().read(new byte[4096]);
                        c.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: 2000\r\n\r\n" + "x".repeat(100))
                                .getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            t.setDaemon(true);
            t.start();
            String rawUrl = "http://127.0.0.1:" + raw.getLocalPort() + "/symbols";
            SymbolPath p = SymbolPath.parse("srv*" + tmp.resolve("cache") + "*" + rawUrl, k -> null);
            try (SymbolStore store = new SymbolStore(p, options(false), FakePdb.OPENER)) {
                assertEquals("app.exe+0x1010", name(store, module("app.pdb", ID), 0x1010));
                String first = messages(store).get(0);
                assertTrue(first.startsWith("symbol server: " + rawUrl + "/app.pdb/" + ID + "/app.sym: download"
                        + " failed: "), first);
            }
        }
        assertEquals(List.of(), cached());
    }

    @Test
    void aFileLargerThanTheLimitIsNotDownloaded() throws IOException {
        files.put("/symbols/app.pdb/" + ID + "/app.pdb", FakePdb.bytes(ID, "App::Run"));
        try (SymbolStore store = store(new ServerOptions(false, Duration.ofSeconds(10), Duration.ofSeconds(10), 20,
                Duration.ofDays(1)))) {
            assertEquals("app.exe+0x1010", name(store, module("app.pdb", ID), 0x1010));
            assertTrue(messages(store).get(0).endsWith("download failed: " + FakePdb.bytes(ID, "App::Run").length
                    + " bytes, more than the limit of 20"), messages(store).get(0));
        }
        assertEquals(List.of(), cached());
    }

    @Test
    void aPdbOfAnotherBuildUnderTheRightNameIsRefused() {
        files.put("/symbols/app.pdb/" + ID + "/app.pdb", FakePdb.bytes(OTHER_ID, "Wrong::Build"));
        String from = url() + "/app.pdb/" + ID + "/app.pdb";
        String refusal = "ignoring " + from + ": its debug id " + OTHER_ID
                + " differs from the loaded module app.exe (debug id " + ID + ")";
        try (SymbolStore store = store(options(false))) {
            assertEquals("app.exe+0x1010", name(store, module("app.pdb", ID), 0x1010));
            assertEquals(List.of(refusal), messages(store));
            assertEquals(List.of(new SymbolOrigin("app.exe", ID, Status.MISMATCHED, null, null, refusal)),
                    store.origins());
        }
        assertEquals(List.of("app.pdb"), FakePdb.OPENED); // its identity was read, and refused
    }

    @Test
    void namesFromTheInputNeverLeaveTheServerOrTheCache() throws IOException {
        files.put("/symbols/evil.pdb/" + ID + "/evil.sym", sym(ID).replace("app.pdb", "evil.pdb")
                .getBytes(StandardCharsets.US_ASCII));
        try (SymbolStore store = store(options(false))) {
            Module up = module("..\\..\\evil.pdb", ID);
            assertEquals("app.exe!Cache::Insert+0x10", name(store, up, 0x1010)); // filed by its last component
            for (String bad : new String[] {"..", "C:", "nul.pdb", "a.pdb\0.x", "x\n.pdb"}) {
                Module m = new Module(BASE, 0x10000, "C:\\app\\other.exe", bad, ID, null);
                assertEquals("other.exe+0x1010", name(store, m, 0x1010), bad);
            }
            Module badId = module("app.pdb", "../../../../etc/passwd");
            assertEquals("app.exe+0x1010", name(store, badId, 0x1010));
        }
        assertEquals(List.of("/symbols/evil.pdb/" + ID + "/evil.sym"), requests);
        assertEquals(List.of("evil.pdb/" + ID + "/evil.sym"), cached());
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of("cache"), s.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void aProgramFileIsFoundByItsCodeIdInMicrosoftsLayout() throws IOException {
        byte[] exe = PeImageBuilder.pe32Plus().section(".text", 0x1000, 0x300, PeImageBuilder.CODE)
                .function("main", 1, 0x10, true).build();
        String codeId = PeSymbolFile.open(Files.write(tmp.resolve("probe.exe"), exe)).identity().codeId();
        files.put("/symbols/app.exe/" + codeId + "/app.ex_", CabWriter.mszip(exe, "app.exe"));
        Module m = new Module(BASE, 0x2000, "C:\\app\\app.exe", null, null, null, codeId);
        try (SymbolStore store = store(options(false))) {
            assertEquals("app.exe!main+0x2", name(store, m, 0x1012));
            assertEquals(url() + "/app.exe/" + codeId + "/app.ex_", store.origins().get(0).url());
        }
        assertFalse(requests.isEmpty());
        assertEquals(List.of("app.exe/" + codeId + "/app.exe"), cached());
    }
}
