package org.leakscope.symbols.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.leakscope.symbols.store.SymbolPath.Folder;
import org.leakscope.symbols.store.SymbolPath.Server;

/** WinDbg's symbol path syntax, and the order of --symbols-path and the environment variables. */
class SymbolPathTest {
    private static final UnaryOperator<String> HOME = Map.of("XDG_CACHE_HOME", "/home/u/.cache")::get;

    @Test
    void foldersCachesAndServers() {
        SymbolPath p = SymbolPath.parse("/syms ; srv*/cache*https://msdl.microsoft.com/download/symbols;"
                + "SRV*http://127.0.0.1:8080/sym/;;cache*/c2;srv*http://h/s", HOME);
        assertEquals(List.of(new Folder(Path.of("/syms")),
                new Server(Path.of("/cache"), URI.create("https://msdl.microsoft.com/download/symbols/")),
                new Server(Path.of("/home/u/.cache/leakscope/symbols"), URI.create("http://127.0.0.1:8080/sym/")),
                new Folder(Path.of("/c2")),
                new Server(Path.of("/c2"), URI.create("http://h/s/"))), p.entries());
        assertEquals(List.of(), p.warnings());
    }

    @Test
    void unusableEntriesAreLeftOutWithAWarning() {
        SymbolPath p = SymbolPath.parse("symsrv*symsrv.dll*/c*http://h/s;foo*bar;srv*;srv*/c*ftp://h/s;"
                + "srv*/a*/b*http://h/s", HOME);
        assertEquals(List.of(new Folder(Path.of("/c")), new Folder(Path.of("ftp://h/s")),
                new Server(Path.of("/a"), URI.create("http://h/s/"))), p.entries());
        assertEquals(List.of(
                "symbol path entry symsrv*symsrv.dll*/c*http://h/s: symbol server DLLs are not loaded;"
                        + " write it as srv*CACHE*URL",
                "symbol path entry foo*bar: unknown kind foo* (expected a folder, cache*DIR or srv*CACHE*URL)",
                "symbol path entry srv*: no server or store after srv*",
                "symbol path entry srv*/a*/b*http://h/s: only the first store (/a) caches downloads; the ones"
                        + " between it and the server are not searched"), p.warnings());
    }

    @Test
    void theCommandLineComesFirstThenLeakscopesVariableThenWindbgs() {
        UnaryOperator<String> env = Map.of("_NT_SYMBOL_PATH", "/nt", "LEAKSCOPE_SYMBOL_PATH", "/ls1;/ls2")::get;
        SymbolPath p = SymbolPath.of(List.of("/a", "/b;/ls2"), env);
        assertEquals(List.of(Path.of("/a"), Path.of("/b"), Path.of("/ls2"), Path.of("/ls1"), Path.of("/nt")),
                p.localFolders()); // each entry once, where it first appears
        assertEquals(List.of(), SymbolPath.of(List.of(), k -> null).entries());
    }
}
