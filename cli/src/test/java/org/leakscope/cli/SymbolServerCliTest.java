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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dumpscan naming the bundled sample's frames through {@code srv*CACHE*URL}: the sample's Breakpad store
 * served by a server this test starts on 127.0.0.1 gives the same report as the store read from disk, and a
 * second run with {@code --offline} gives it again from the cache without asking the server.
 */
class SymbolServerCliTest {
    @TempDir
    Path tmp;

    @Test
    void dumpscanThroughASymbolServerThenOfflineFromItsCache() throws Exception {
        Path store = CliRun.testdata("minidump/symbols");
        List<String> requests = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/sym/", x -> {
            String rel = x.getRequestURI().getPath().substring("/sym/".length());
            requests.add(rel);
            Path f = store.resolve(rel).normalize();
            try (x) {
                if (!f.startsWith(store) || !Files.isRegularFile(f)) {
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
        String path = "srv*" + tmp.resolve("cache") + "*http://127.0.0.1:" + server.getAddress().getPort() + "/sym";
        String dump = CliRun.testdata("minidump/sample.dmp").toString();
        try {
            Golden.check("sample.dumpscan.txt", CliRun.of("dumpscan", dump, "--symbols-path", path));
        } finally {
            server.stop(0);
        }
        assertTrue(requests.contains("leaky_service.pdb/5EED00000000400080000000000000001/leaky_service.sym"),
                requests.toString());
        int asked = requests.size();
        Golden.check("sample.dumpscan.txt", CliRun.of("dumpscan", dump, "--symbols-path", path, "--offline"));
        assertEquals(asked, requests.size());
        CliRun none = CliRun.of("dumpscan", dump, "--symbols-path", "srv*" + tmp.resolve("empty") + "*"
                + "http://127.0.0.1:9/sym", "--offline");
        assertEquals(ExitCode.OK, none.exit(), none.err());
        assertFalse(none.out().contains("LeakyCache::Insert"), none.out());
    }

    @Test
    void aMissingFolderOnTheCommandLineIsAUsageError() {
        CliRun r = CliRun.of("dumpscan", CliRun.testdata("minidump/sample.dmp").toString(), "--symbols-path",
                CliRun.testdata("minidump/symbols") + ";" + tmp.resolve("nope"));
        assertEquals(ExitCode.BAD_INPUT, r.exit());
        assertTrue(r.err().contains(tmp.resolve("nope") + ": not a directory"), r.err());
    }
}
