package org.leakscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.minidump.SyntheticDumpBuilder;

/**
 * dumpscan, leakdiff and logscan name an MSVC-built program's frames through {@code srv*CACHE*URL}, from a
 * Microsoft-layout store (the PDB) and a Breakpad one (a .sym), served by an HTTP server on the loopback address;
 * a second run works offline from the cache; a miss and a PDB of another build are reported, never used.
 * The program is Breakpad's dump_syms_regtest64.exe: its PDB and mozilla's .sym for it are in the corpus.
 */
class SymbolServerEndToEndTest {
    private static final String ID = "72E103A85CB249078B76B2E7C06257B13";
    private static final String PDB = "dump_syms_regtest64.pdb";
    private static final long BASE = 0x140000000L;
    private static final int SIZE = 0x1a000; // SizeOfImage, from the code id 589DFD111A000
    /** Inside main, on line 58 of dump_syms_regtest.cc (0x101d..0x1027 in the PDB's line table). */
    private static final long MAIN_RVA = 0x1020;

    @TempDir
    Path tmp;
    private HttpServer server;
    private Path served;
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void serve() throws IOException {
        served = Files.createDirectories(tmp.resolve("served"));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requests.add(path);
            Path file = served.resolve(path.substring(1)).normalize();
            if (!file.startsWith(served) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            byte[] body = Files.readAllBytes(file);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Puts a corpus file on the server at {@code name/ID/file}. */
    private void put(String corpusFile, String name, String id, String file) throws IOException {
        Path to = served.resolve(name).resolve(id).resolve(file);
        Files.createDirectories(to.getParent());
        Files.copy(CliRun.corpus(corpusFile), to);
    }

    private Path dump(String id) throws IOException {
        Path p = tmp.resolve("crash-" + id.substring(0, 4) + ".dmp");
        new SyntheticDumpBuilder().systemInfo(9, 2, "")
                .threads(true, 1232, new long[][] {{0x10, BASE + MAIN_RVA, 0x14fe00}})
                .moduleWithPdb(BASE, SIZE, "C:\\build\\dump_syms_regtest64.exe", id, PDB).endModules()
                .exception(0x10, 0xc0000005L, BASE + MAIN_RVA, 0, 0)
                .write(p);
        return p;
    }

    @Test
    void dumpscanNamesTheFrameFromAMicrosoftStoreThenOfflineFromTheCache() throws Exception {
        put("pdb/bp_dump_syms_regtest64.pdb", PDB, ID, PDB);
        Path cache = tmp.resolve("cache");
        Path dump = dump(ID);
        CliRun online = CliRun.of("dumpscan", dump.toString(), "--symbols-path", "srv*" + cache + "*" + url());
        assertTrue(online.out().contains("dump_syms_regtest64.exe!main+0x10"), online.out() + online.err());
        assertTrue(online.out().contains("[dump_syms_regtest.cc : 58]"), online.out());
        assertTrue(Files.isRegularFile(cache.resolve(PDB).resolve(ID).resolve(PDB)), "cached");
        assertTrue(online.out().contains("dump_syms_regtest64.exe  found    " + url()), online.out());
        CliRun json = CliRun.of("dumpscan", dump.toString(), "--json", "--offline", "--symbols-path",
                "srv*" + cache + "*" + url());
        assertTrue(json.out().contains("\"url\" : \"" + url() + "/" + PDB + "/" + ID + "/" + PDB + "\""), json.out());
        assertTrue(requests.contains("/" + PDB + "/" + ID + "/" + PDB), requests.toString());

        server.stop(0); // offline: the cache alone
        int asked = requests.size();
        CliRun offline = CliRun.of("dumpscan", dump.toString(), "--offline", "--symbols-path",
                "srv*" + cache + "*" + url());
        assertEquals(online.out(), offline.out());
        assertEquals(asked, requests.size());
    }

    @Test
    void aMissAndAPdbOfAnotherBuildAreReportedNeverUsed() throws Exception {
        String other = "0" + ID.substring(1); // the same name, another GUID
        put("pdb/bp_dump_syms_regtest64.pdb", PDB, other, PDB); // a server with a wrong file under that id
        Path cache = tmp.resolve("cache");
        CliRun run = CliRun.of("dumpscan", dump(other).toString(), "--symbols-path", "srv*" + cache + "*" + url());
        assertFalse(run.out().contains("!main"), run.out());
        assertTrue(run.out().contains("dump_syms_regtest64.exe+0x" + Long.toHexString(MAIN_RVA)), run.out());
        assertTrue(run.err().contains(ID) && run.err().contains(other), run.err()); // both ids named
        assertTrue(run.out().contains("dump_syms_regtest64.exe  mismatched"), run.out()); // the module table says so

        CliRun miss = CliRun.of("dumpscan", dump("1" + ID.substring(1)).toString(), "--symbols-path",
                "srv*" + cache + "*" + url());
        assertTrue(miss.out().contains("dump_syms_regtest64.exe+0x" + Long.toHexString(MAIN_RVA)), miss.out());
        assertEquals(ExitCode.OK, miss.exit());
        assertTrue(miss.out().contains("dump_syms_regtest64.exe  missing  no file of its name on the symbol path"),
                miss.out());
    }

    /** resmon.dll's module line carries the debug id: logscan and leakdiff name its call sites through a server. */
    @Test
    void logscanAndLeakdiffNameResmonDllCallSitesFromABreakpadStore() throws Exception {
        put("pdb/moz_dump_syms_regtest64.sym", PDB, ID, "dump_syms_regtest64.sym");
        Path cache = tmp.resolve("cache");
        Path before = log("before.log", false);
        Path after = log("after.log", true);
        String path = "srv*" + cache + "*" + url();
        CliRun logscan = CliRun.of("logscan", after.toString(), "--symbols-path", path);
        assertTrue(logscan.out().contains("dump_syms_regtest64.exe!main(int, char**)+0x10"), logscan.out()
                + logscan.err());
        CliRun leakdiff = CliRun.of("leakdiff", before.toString(), after.toString(), "--symbols-path", path,
                "--offline");
        assertTrue(leakdiff.out().contains("main(int, char**)"), leakdiff.out() + leakdiff.err());
    }

    private Path log(String name, boolean leak) throws IOException {
        List<String> lines = new ArrayList<>(List.of(
                String.format("module 0x%016X size %d debugid %s pdb %s Z:\\build\\dump_syms_regtest64.exe", BASE,
                        SIZE, ID, PDB),
                "threads used 1, sync object used 0, memory used 100",
                "=========== CHECK UNRELEASED RESOUCRES ============"));
        if (leak) {
            lines.addAll(List.of("------------------ memory usage 100 -----------------",
                    "base 0x000055DCAA8229C0 size 100 tag 0000000000000000 (Malloc)",
                    "created by [4242] thread",
                    String.format("returnAddress 0x%016X", BASE + MAIN_RVA),
                    "---------------------------------------------------"));
        } else {
            lines.add("------------------ memory usage 0 -----------------");
        }
        lines.addAll(List.of("------------------ thread usage 0 -----------------",
                "--------------- sync object usage 0 ---------------",
                "===================================================" ));
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            text.append(String.format(Locale.ROOT, "%08d\t%.8f\t[4242] dump_syms_regtest64.exe|resmon| %s\n", i + 1,
                    0.001 * (i + 1), lines.get(i)));
        }
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }
}
