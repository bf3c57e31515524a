package org.leakscope.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.model.Frame;
import org.leakscope.model.Module;
import org.leakscope.model.Problem;
import org.leakscope.symbols.SymbolOrigin.Status;
import org.leakscope.symbols.store.ServerOptions;
import org.leakscope.symbols.store.SymbolPath;

/**
 * Local folders in the layouts a symbol path entry may have (Breakpad's, Microsoft's one- and two-tier, flat),
 * which file wins, and what a store folder cannot make the store open: a link out of it, a FIFO, a folder.
 */
class SymbolStoreLayoutTest {
    private static final String ID = "5A9832E5287241C1838ED98914E9B7FF1";
    private static final String OTHER_ID = "0123456789ABCDEF0123456789ABCDEF2";
    private static final long BASE = 0x1_4000_0000L;
    private static final Module APP = new Module(BASE, 0x10000, "C:\\app\\app.exe", "app.pdb", ID, null);

    @TempDir
    Path tmp;

    private SymbolStore store(Path... folders) {
        return new SymbolStore(SymbolPath.folders(List.of(folders)), ServerOptions.defaults().withOffline(true),
                FakePdb.OPENER);
    }

    private static String name(SymbolStore store, long rva) {
        return store.symbolize(Frame.unresolved(BASE + rva).withModule(APP.name(), rva), APP).describe();
    }

    private static Path write(Path p, byte[] bytes) throws IOException {
        Files.createDirectories(p.getParent());
        return Files.write(p, bytes);
    }

    private static byte[] sym(String id) {
        return ("MODULE windows x86_64 " + id + " app.pdb\nFUNC 1000 40 0 FromSym\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void microsoftLayoutTwoTierAndFlatFoldersHoldPdbs() throws IOException {
        Path ms = write(tmp.resolve("ms/app.pdb/" + ID + "/app.pdb"), FakePdb.bytes(ID, "FromMs"));
        write(tmp.resolve("two/index2.txt"), new byte[0]);
        write(tmp.resolve("two/ap/app.pdb/" + ID + "/app.pdb"), FakePdb.bytes(ID, "FromTwoTier"));
        write(tmp.resolve("flat/app.pdb"), FakePdb.bytes(ID, "FromFlat"));
        try (SymbolStore s = store(tmp.resolve("ms"))) {
            assertEquals("app.exe!FromMs+0x10", name(s, 0x1010));
            assertEquals(List.of(new SymbolOrigin("app.exe", ID, Status.FOUND, ms.toString(), null, null)),
                    s.origins());
        }
        try (SymbolStore s = store(tmp.resolve("two"))) {
            assertEquals("app.exe!FromTwoTier+0x10", name(s, 0x1010));
        }
        try (SymbolStore s = store(tmp.resolve("flat"))) {
            assertEquals("app.exe!FromFlat+0x10", name(s, 0x1010));
        }
    }

    @Test
    void aBreakpadFileComesBeforeAPdbAndAWrongBuildIsPassedOver() throws IOException {
        write(tmp.resolve("a/app.pdb/" + ID + "/app.pdb"), FakePdb.bytes(ID, "FromPdb"));
        write(tmp.resolve("b/app.pdb/" + ID + "/app.sym"), sym(ID));
        try (SymbolStore s = store(tmp.resolve("a"), tmp.resolve("b"))) {
            assertEquals("app.exe!FromSym+0x10", name(s, 0x1010)); // .sym first, in any entry
        }
        Path wrong = write(tmp.resolve("c/app.pdb/" + ID + "/app.pdb"), FakePdb.bytes(OTHER_ID, "Wrong"));
        write(tmp.resolve("d/app.pdb"), FakePdb.bytes(ID, "Right"));
        try (SymbolStore s = store(tmp.resolve("c"), tmp.resolve("d"))) {
            assertEquals("app.exe!Right+0x10", name(s, 0x1010));
            assertEquals(List.of("ignoring " + wrong + ": its debug id " + OTHER_ID
                    + " differs from the loaded module app.exe (debug id " + ID + ")"),
                    s.problems().stream().map(Problem::message).toList());
            assertEquals(Status.FOUND, s.origins().get(0).status());
        }
    }

    @Test
    void aLinkOutOfTheStoreIsNotFollowedOneInsideIs() throws IOException {
        assumeTrue(File.separatorChar == '/', "symbolic links need privileges on Windows");
        Path secret = write(tmp.resolve("outside/secret.sym"), sym(ID));
        Path link = tmp.resolve("store/app.pdb/" + ID + "/app.sym");
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, secret);
        try (SymbolStore s = store(tmp.resolve("store"))) {
            assertEquals("app.exe+0x1010", name(s, 0x1010));
            assertEquals(Status.MISSING, s.origins().get(0).status());
        }
        Files.delete(link);
        Path inside = write(tmp.resolve("store/shared/app.sym"), sym(ID));
        Files.createSymbolicLink(link, inside);
        try (SymbolStore s = store(tmp.resolve("store"))) {
            assertEquals("app.exe!FromSym+0x10", name(s, 0x1010));
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void aFifoOrAFolderUnderAStoreNameIsNotOpened() throws IOException, InterruptedException {
        assumeTrue(File.separatorChar == '/', "FIFOs are a POSIX matter");
        Path fifo = tmp.resolve("store/app.pdb/" + ID + "/app.sym");
        Files.createDirectories(fifo.getParent());
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Files.createDirectories(tmp.resolve("store/app.pdb/" + ID + "/app.pdb"));
        try (SymbolStore s = store(tmp.resolve("store"))) {
            assertEquals("app.exe+0x1010", name(s, 0x1010)); // opening the FIFO would block here
            assertEquals(List.of(), s.problems());
        }
    }

    @Test
    void namesFromTheInputStayInsideTheFolder() throws IOException {
        // beside the store, not in it: where x.pdb/ID/x.sym lands when ../x.pdb is taken as a path
        write(tmp.resolve("x.pdb/" + ID + "/x.sym"), sym(ID));
        write(tmp.resolve("x.pdb/x.sym"), sym(ID));
        write(tmp.resolve("store/keep"), new byte[0]);
        for (String bad : new String[] {"..\\x.pdb", "../x.pdb", tmp.resolve("x.pdb").toString()}) {
            Module m = new Module(BASE, 0x10000, "C:\\app\\app.exe", bad, ID, null);
            try (SymbolStore s = store(tmp.resolve("store"))) {
                Frame f = s.symbolize(Frame.unresolved(BASE + 0x1010).withModule("app.exe", 0x1010), m);
                assertEquals("app.exe+0x1010", f.describe(), bad);
            }
        }
    }
}
