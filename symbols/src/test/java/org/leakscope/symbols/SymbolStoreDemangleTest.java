package org.leakscope.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.model.Frame;
import org.leakscope.model.Module;

/**
 * Names are demangled where {@link SymbolStore} attaches them, whichever file they come from: the frame's
 * function is the readable name and {@code mangled} the symbol as the file spells it (null for a name that was
 * not mangled). Needs the Itanium demangler (module demangle/, issue 13).
 */
class SymbolStoreDemangleTest {
    private static final String DEBUG_ID = "5EED00000000400080000000000000AB0";

    @TempDir
    Path tmp;

    private static Frame at(Module m, long rva) {
        return Frame.unresolved(m.base() + rva).withModule(m.name(), rva);
    }

    @Test
    void breakpadFileWithMangledNames() throws IOException {
        Path sym = tmp.resolve("store/app/" + DEBUG_ID + "/app.sym");
        Files.createDirectories(sym.getParent());
        Files.writeString(sym, "MODULE Linux x86_64 " + DEBUG_ID + " app\n"
                + "FUNC 1000 40 0 _Znwm\nFUNC 1100 40 0 _ZN7Session4openEv\nFUNC 1200 40 0 leak_small\n");
        Module m = new Module(0x5555_0000_0000L, 0x2000, "/opt/app/app", "app", DEBUG_ID, null);
        try (SymbolStore store = new SymbolStore(List.of(tmp.resolve("store")))) {
            Frame n = store.symbolize(at(m, 0x101c), m);
            assertEquals("operator new(unsigned long)", n.function());
            assertEquals("_Znwm", n.mangled());
            assertEquals("app!operator new(unsigned long)+0x1c", n.describe());
            Frame open = store.symbolize(at(m, 0x1104), m);
            assertEquals("Session::open()", open.function());
            assertEquals("_ZN7Session4openEv", open.mangled());
            Frame c = store.symbolize(at(m, 0x1200), m);
            assertEquals("leak_small", c.function());
            assertNull(c.mangled());
        }
    }

    @Test
    void mingwCoffSymbolsAreDemangledToo() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("pe"));
        Files.write(root.resolve("winleak.exe"), PeImageBuilder.pe32Plus()
                .section(".text", 0x1000, 0x300, PeImageBuilder.CODE)
                .function("_Znwy", 1, 0x10, true)
                .function("_ZN7Session4openEv", 1, 0x40, true)
                .build());
        Module m = new Module(0x1_4000_0000L, 0x2000, "C:\\build\\winleak.exe", null, null, null);
        try (SymbolStore store = new SymbolStore(List.of(root))) {
            Frame n = store.symbolize(at(m, 0x1014), m);
            assertEquals("operator new(unsigned long long)", n.function());
            assertEquals("_Znwy", n.mangled());
            assertEquals("winleak.exe!Session::open()+0x2", store.symbolize(at(m, 0x1042), m).describe());
        }
    }
}
