package org.leakscope.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.model.Frame;
import org.leakscope.model.Module;
import org.leakscope.model.Problem;

/**
 * The program-file fallback of {@link SymbolStore}: PE modules as Wine and minidumps name them
 * ({@code Z:\...}, {@code C:\windows\...}), found at their own path or by name in a store root, and told
 * from ELF files by their magic.
 */
class SymbolStoreTest {
    private static final long BASE = 0x1_4000_0000L;
    /** SizeOfImage of {@link #planted()}: .text ends at 0x1300, rounded up to a page. */
    private static final long SIZE = 0x2000;

    @TempDir
    Path tmp;

    private static byte[] planted() {
        return PeImageBuilder.pe32Plus()
                .section(".text", 0x1000, 0x300, PeImageBuilder.CODE)
                .function("main", 1, 0x10, true)
                .function("leak_small", 1, 0x40, true)
                .build();
    }

    private static Frame at(Module m, long rva) {
        return Frame.unresolved(m.base() + rva).withModule(m.name(), rva);
    }

    /** The Windows spelling of a Linux path, as Wine reports it: drive Z: is the root. */
    private static String wine(Path p) {
        return "Z:" + p.toAbsolutePath().toString().replace('/', '\\');
    }

    @Test
    void wineZPathIsTheLinuxFile() throws IOException {
        assumeTrue(File.separatorChar == '/', "Wine paths are a Linux matter");
        Path exe = tmp.resolve("planted.exe");
        Files.write(exe, planted());
        Module m = new Module(BASE, SIZE, wine(exe), null, null, null);
        assertTrue(SymbolStore.hasLocalImage(m));
        assertFalse(SymbolStore.hasLocalElf(m));
        try (SymbolStore store = new SymbolStore(List.of())) {
            assertEquals("planted.exe!leak_small+0x12", store.symbolize(at(m, 0x1052), m).describe());
            assertEquals("planted.exe!main", store.symbolize(at(m, 0x1010), m).describe());
            assertEquals("planted.exe+0x2000", store.symbolize(at(m, 0x2000), m).describe());
            assertTrue(store.problems().isEmpty());
        }
        Module nt = new Module(BASE, SIZE, "\\??\\" + wine(exe), null, null, null);
        assertTrue(SymbolStore.hasLocalImage(nt));
    }

    @Test
    void otherDrivesAreFoundByNameInTheRoots() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("store"));
        Files.write(root.resolve("planted.dll"), planted());
        Files.write(root.resolve("kernel32.dll"), planted());
        Module dll = new Module(0x7ff0_0000_0000L, SIZE, "C:\\windows\\system32\\planted.dll", null, null, null);
        Module upper = new Module(0x7ff1_0000_0000L, SIZE, "C:\\windows\\system32\\KERNEL32.DLL", null, null, null);
        assertFalse(SymbolStore.hasLocalImage(dll)); // not on this machine under that name
        try (SymbolStore store = new SymbolStore(List.of(root))) {
            assertEquals("planted.dll!leak_small+0x1", store.symbolize(at(dll, 0x1041), dll).describe());
            assertEquals("KERNEL32.DLL!main+0x2", store.symbolize(at(upper, 0x1012), upper).describe());
        }
        try (SymbolStore none = new SymbolStore(List.of())) {
            assertEquals("planted.dll+0x1041", none.symbolize(at(dll, 0x1041), dll).describe());
        }
    }

    @Test
    void aCopyOfAnotherBuildIsNotUsed() throws IOException {
        assumeTrue(File.separatorChar == '/', "Wine paths are a Linux matter");
        Path root = Files.createDirectories(tmp.resolve("store"));
        Files.write(root.resolve("planted.exe"), PeImageBuilder.pe32Plus() // a later build: bigger, other names
                .section(".text", 0x1000, 0x2400, PeImageBuilder.CODE)
                .function("something_else", 1, 0, true)
                .build());
        Path exe = Files.createDirectories(tmp.resolve("build")).resolve("planted.exe");
        Files.write(exe, planted());
        Module m = new Module(BASE, SIZE, wine(exe), null, null, null);
        try (SymbolStore store = new SymbolStore(List.of(root))) {
            assertEquals("planted.exe!leak_small+0x12", store.symbolize(at(m, 0x1052), m).describe());
            assertEquals(List.of(new Problem(root.resolve("planted.exe").toString(), null, null, "ignoring "
                    + root.resolve("planted.exe") + ": its SizeOfImage 16384 differs from the loaded module planted.exe"
                    + " (8192 bytes; the input records no id for it)")), store.problems());
        }
        Module unknownSize = new Module(BASE, 0, "C:\\x\\planted.exe", null, null, null);
        try (SymbolStore store = new SymbolStore(List.of(root))) {
            // a module of unknown size and no id: nothing says the file is its build, so it is not used
            assertEquals("planted.exe+0x2052", store.symbolize(at(unknownSize, 0x2052), unknownSize).describe());
            assertEquals(1, store.problems().size());
        }
    }

    @Test
    void aDamagedPeIsAProblemAndTheFrameStaysUnresolved() throws IOException {
        assumeTrue(File.separatorChar == '/', "Wine paths are a Linux matter");
        byte[] b = planted();
        b[PeImageBuilder.PE_AT] = 'X';
        Path exe = tmp.resolve("damaged.exe");
        Files.write(exe, b);
        Module m = new Module(BASE, SIZE, wine(exe), null, null, null);
        try (SymbolStore store = new SymbolStore(List.of())) {
            assertEquals("damaged.exe+0x1052", store.symbolize(at(m, 0x1052), m).describe());
            store.symbolize(at(m, 0x1010), m); // looked at once
            assertEquals(1, store.problems().size());
            assertTrue(store.problems().get(0).message().startsWith(exe + ": at byte offset 128 "),
                    store.problems().toString());
        }
    }

    @Test
    void elfIsStillReadAsElf() throws IOException {
        Path so = ElfSymbolFileTest.library(tmp, "libplant.so", "--build-id=0x0123456789abcdef0011223344556677deadbeef");
        long[] span = ElfSymbolFileTest.loadSpan(so);
        Module m = new Module(0x7f00_0000_0000L, span[1] - span[0], so.toString(), null, null, null);
        assertTrue(SymbolStore.hasLocalElf(m));
        assertTrue(SymbolStore.hasLocalImage(m));
        Tools.require("nm", "binutils");
        long plantB = -1;
        for (String line : Tools.run(List.of("nm", "-D", "--defined-only", so.toString())).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && f[2].equals("plant_b")) {
                plantB = Long.parseLong(f[0], 16);
            }
        }
        try (SymbolStore store = new SymbolStore(List.of())) {
            assertEquals("libplant.so!plant_b+0x4", store.symbolize(at(m, plantB + 4), m).describe());
            assertEquals(List.of(), store.problems());
        }
    }

    @Test
    void localPaths() {
        assumeTrue(File.separatorChar == '/', "Wine paths are a Linux matter");
        assertEquals(Path.of("/work/main/native-capture/build/windows/planted.exe"),
                SymbolStore.localPath("Z:\\work\\main\\native-capture\\build\\windows\\planted.exe"));
        assertEquals(Path.of("/x/y"), SymbolStore.localPath("z:/x/y"));
        assertEquals(Path.of("/x/y.dll"), SymbolStore.localPath("\\\\?\\Z:\\x\\y.dll"));
        assertEquals(Path.of("/usr/lib/libc.so.6"), SymbolStore.localPath("/usr/lib/libc.so.6"));
        assertNull(SymbolStore.localPath("C:\\windows\\system32\\kernel32.dll"));
        assertNull(SymbolStore.localPath("planted.exe"));
        assertNull(SymbolStore.localPath(""));
        assertNull(SymbolStore.localPath(null));
        assertNull(SymbolStore.localPath("/a\0b"));
    }
}
