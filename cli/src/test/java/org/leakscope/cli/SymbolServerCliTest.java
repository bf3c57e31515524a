package org.leakscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dumpscan and logscan naming frames through {@code srv*CACHE*URL}: a Breakpad store served by a server this
 * test starts on 127.0.0.1 gives the same report as the store read from disk (the same golden file), and a
 * second run with {@code --offline} gives it again from the cache without asking the server. (leakdiff's UMDH
 * inputs record no debug ids, and servers file everything by id: only local folders name their frames.)
 */
class SymbolServerCliTest {
    @TempDir
    Path tmp;

    /** A server on 127.0.0.1 serving {@code root}'s files under /sym/, recording each path asked for. */
    private static HttpServer serve(Path root, List<String> requests) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/sym/", x -> {
            String rel = x.getRequestURI().getPath().substring("/sym/".length());
            requests.add(rel);
            Path f = root.resolve(rel).normalize();
            try (x) {
                if (!f.startsWith(root) || !Files.isRegularFile(f)) {
                    x.sendResponseHeaders(404, -1);
                    return;
                }
                byte[] body = Files.readAllBytes(f);
                x.sendResponseHeaders(200, body.length);
                try (OutputStream o = x.getResponseBody()) {
                    o.write(body);
                }
            }
        });
        server.start();
        return server;
    }

    /**
     * The verb's output with {@code store} served through {@code srv*CACHE*URL} equals {@code golden} (made with
     * the store read from disk); then again with {@code --offline} and the server gone.
     */
    private void sameThroughServer(String golden, Path store, String expectedRequest, String... verbAndFiles)
            throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        HttpServer server = serve(store, requests);
        String path = "srv*" + tmp.resolve("cache") + "*http://127.0.0.1:" + server.getAddress().getPort() + "/sym";
        List<String> args = new ArrayList<>(List.of(verbAndFiles));
        args.addAll(List.of("--symbols-path", path));
        try {
            CliRun online = CliRun.of(args.toArray(String[]::new));
            sameButSymbolOrigins(golden, online);
            assertTrue(requests.contains(expectedRequest), requests.toString());
            int asked = requests.size();
            args.add("--offline");
            Files.walk(tmp.resolve("cache")).filter(p -> p.toString().contains(".leakscope-misses"))
                    .sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            // the server is still up and the misses forgotten: only --offline keeps the run from asking again
            CliRun offline = CliRun.of(args.toArray(String[]::new));
            assertEquals(online.out(), offline.out());
            assertEquals(online.err(), offline.err());
            assertEquals(asked, requests.size(), requests.toString());
        } finally {
            server.stop(0);
        }
    }

    /**
     * The output equals the golden (made with the store read from disk) but for dumpscan's "Symbols:" block, which
     * names where each module's file came from: here the server.
     */
    private void sameButSymbolOrigins(String golden, CliRun run) throws Exception {
        String want = Files.readString(Path.of("src/test/resources/golden", golden));
        assertEquals(withoutOrigins(want), withoutOrigins(run.out()));
        if (want.contains("leaky_service.exe  found")) {
            assertTrue(run.out().contains("leaky_service.exe  found    http://127.0.0.1:"), run.out());
        }
    }

    private static String withoutOrigins(String text) {
        return text.replaceAll("(?m)^( *)Symbols:\n(^\\1  .*\n)+", "");
    }

    @Test
    void dumpscanThroughASymbolServerThenOfflineFromItsCache() throws Exception {
        String dump = CliRun.testdata("minidump/sample.dmp").toString();
        sameThroughServer("sample.dumpscan.txt", CliRun.testdata("minidump/symbols"),
                "leaky_service.pdb/5EED00000000400080000000000000001/leaky_service.sym", "dumpscan", dump);
        CliRun none = CliRun.of("dumpscan", dump, "--symbols-path", "srv*" + tmp.resolve("empty") + "*"
                + "http://127.0.0.1:9/sym", "--offline");
        assertEquals(ExitCode.OK, none.exit(), none.err());
        assertFalse(none.out().contains("LeakyCache::Insert"), none.out());
    }

    @Test
    void logscanThroughASymbolServerThenOfflineFromItsCache() throws Exception {
        sameThroughServer("logscan_cpp_stacks.txt", CliRun.testdata("dbgview/cpp_symbols"),
                "cppleak/00EEFFC0221144335566778899AABBCC0/cppleak.sym", "logscan",
                CliRun.testdata("dbgview/resmon_cpp_stacks.log").toString());
    }

    @Test
    void everyVerbWithSymbolsOffersTheSyntaxAndOffline() {
        for (String verb : new String[] {"dumpscan", "leakdiff", "logscan"}) {
            String help = CliRun.of(verb, "--help").out();
            assertTrue(help.contains("--offline") && help.contains("srv*CACHE*URL")
                    && help.contains("$_NT_SYMBOL_PATH"), verb + ": " + help);
        }
    }

    @Test
    void aMissingFolderOnTheCommandLineIsAUsageError() {
        CliRun r = CliRun.of("dumpscan", CliRun.testdata("minidump/sample.dmp").toString(), "--symbols-path",
                CliRun.testdata("minidump/symbols") + ";" + tmp.resolve("nope"));
        assertEquals(ExitCode.BAD_INPUT, r.exit());
        assertTrue(r.err().contains(tmp.resolve("nope") + ": not a directory"), r.err());
    }
}
