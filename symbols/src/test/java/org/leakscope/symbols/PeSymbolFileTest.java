package org.leakscope.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PE symbolization on small images written by {@link PeImageBuilder}: what each source yields, exactly. */
class PeSymbolFileTest {
    @TempDir
    Path tmp;

    private PeSymbolFile open(byte[] image) throws IOException {
        Path p = tmp.resolve("image-" + System.nanoTime() + ".exe");
        Files.write(p, image);
        return PeSymbolFile.open(p);
    }

    private static void assertHit(PeSymbolFile f, long rva, String name, long offset) {
        Optional<SymbolHit> hit = f.lookup(rva);
        assertTrue(hit.isPresent(), "nothing at RVA 0x" + Long.toHexString(rva) + ", expected " + name);
        assertEquals(name, hit.get().function(), "at RVA 0x" + Long.toHexString(rva));
        assertEquals(offset, hit.get().functionOffset(), "offset in " + name);
        assertEquals(null, hit.get().sourceFile());
    }

    private static void assertMiss(PeSymbolFile f, long rva) {
        assertEquals(Optional.empty(), f.lookup(rva), "RVA 0x" + Long.toHexString(rva));
    }

    /** What mingw-w64 leaves in an unstripped .exe, in miniature. */
    private static PeImageBuilder mingwLike() {
        return PeImageBuilder.pe32Plus()
                .section(".text", 0x1000, 0x300, PeImageBuilder.CODE)
                .section(".data", 0x2000, 0x100, PeImageBuilder.DATA)
                .symbol(".file", 0, -2, 0, 103, "planted.c\0\0\0\0\0\0\0\0\0".getBytes()) // file name in an aux
                .symbol(".text", 0, 1, 0, 3, new byte[18]) // the section symbol and its section-definition aux
                .symbol("main", 0x10, 1, 0x20, 2, PeImageBuilder.trapAux()) // short name, function-definition aux
                .function("leak_small", 1, 0x40, true) // 10 bytes: a long name in the string table
                .function("helper_static_function", 1, 0x80, false)
                .function("tiny", 1, 0x200, false)
                .symbol("counter", 0, 2, 0, 2) // data: not a function
                .symbol("__imp_HeapAlloc", 0, 0, 0x20, 2) // undefined (imported): no code here
                .symbol("absolute", 5, -1, 0x20, 2) // absolute: no section
                .symbol("weak_fn", 0x60, 1, 0x20, 105); // weak external: not a definition
    }

    @Test
    void pe32PlusCoffSymbolsWithLongNamesStaticsAndAuxRecords() throws IOException {
        PeSymbolFile f = open(mingwLike().build());
        assertTrue(f.is64());
        assertEquals(0x1_4000_0000L, f.imageBase());
        assertEquals(0x3000, f.imageSize());
        assertEquals(4, f.functions());
        assertMiss(f, 0x1000); // .text before the first function
        assertHit(f, 0x1010, "main", 0);
        assertHit(f, 0x103f, "main", 0x2f); // runs to the next function
        assertHit(f, 0x1040, "leak_small", 0);
        assertHit(f, 0x1052, "leak_small", 0x12);
        assertHit(f, 0x1085, "helper_static_function", 5);
        assertHit(f, 0x12ff, "tiny", 0xff); // the last one runs to its section's end
        assertMiss(f, 0x1300);
        assertMiss(f, 0x2000); // data
        assertMiss(f, 0);
        assertMiss(f, -1L);
        assertEquals(0, f.problems().size(), f.problems().toString());
    }

    @Test
    void exportsOnlyNameCodeAndSkipDataAndForwarders() throws IOException {
        byte[] dll = PeImageBuilder.pe32Plus()
                .section(".text", 0x1000, 0x400, PeImageBuilder.CODE)
                .section(".data", 0x2000, 0x100, PeImageBuilder.DATA)
                .export("InstallResMon", 0x1000)
                .export("UninstallResMon", 0x1100)
                .export("LogAllResources", 0x1380)
                .export("ResMonTableAddress", 0x2010) // exported data
                .forwarder("HeapAlloc", "NTDLL.RtlAllocateHeap")
                .build();
        PeSymbolFile f = open(dll);
        assertEquals(3, f.functions());
        assertHit(f, 0x1000, "InstallResMon", 0);
        assertHit(f, 0x10ff, "InstallResMon", 0xff);
        assertHit(f, 0x1104, "UninstallResMon", 4);
        assertHit(f, 0x13ff, "LogAllResources", 0x7f);
        assertMiss(f, 0x1400);
        assertMiss(f, 0x2010);
        assertEquals(0, f.problems().size(), f.problems().toString());
    }

    @Test
    void pe32DllWithExports() throws IOException {
        byte[] dll = PeImageBuilder.pe32(PeImageBuilder.MACHINE_I386)
                .section(".text", 0x1000, 0x200, PeImageBuilder.CODE)
                .export("Alpha", 0x1000)
                .export("Beta", 0x1100)
                .build();
        PeSymbolFile f = open(dll);
        assertFalse(f.is64());
        assertEquals(0x1000_0000L, f.imageBase());
        assertHit(f, 0x1050, "Alpha", 0x50);
        assertHit(f, 0x11ff, "Beta", 0xff);
    }

    @Test
    void coffNamesWinOverExportsAtTheSameAddressAndBothAreUsed() throws IOException {
        byte[] dll = PeImageBuilder.pe32Plus()
                .section(".text", 0x1000, 0x300, PeImageBuilder.CODE)
                .function("install_impl", 1, 0, true)
                .export("InstallResMon", 0x1000) // same address, the public alias
                .export("LogAllResources", 0x1200) // only exported: cuts install_impl short
                .build();
        PeSymbolFile f = open(dll);
        assertEquals(2, f.functions());
        assertHit(f, 0x1010, "install_impl", 0x10);
        assertHit(f, 0x1210, "LogAllResources", 0x10);
    }

    @Test
    void i386NamesAreShownUndecorated() throws IOException {
        byte[] exe = PeImageBuilder.pe32(PeImageBuilder.MACHINE_I386)
                .section(".text", 0x1000, 0x200, PeImageBuilder.CODE)
                .function("_leak_small", 1, 0, true)
                .function("_WinMain@16", 1, 0x40, true)
                .function("@fast@8", 1, 0x80, false) // fastcall keeps its decoration: no underscore to strip
                .build();
        PeSymbolFile f = open(exe);
        assertHit(f, 0x1010, "leak_small", 0x10);
        assertHit(f, 0x1044, "WinMain", 4);
        assertHit(f, 0x1080, "@fast@8", 0);
    }

    @Test
    void sectionWithoutVirtualSizeEndsAtItsRawSize() throws IOException {
        PeSymbolFile f = open(PeImageBuilder.pe32Plus()
                .sectionWithoutVirtualSize(".text", 0x1000, 0x200, PeImageBuilder.CODE)
                .function("only", 1, 0x100, true)
                .build());
        assertHit(f, 0x11ff, "only", 0xff);
        assertMiss(f, 0x1200);
    }

    @Test
    void noSymbolsAtAllIsNoSymbolsNotAnError() throws IOException {
        PeSymbolFile stripped = open(PeImageBuilder.pe32Plus()
                .section(".text", 0x1000, 0x200, PeImageBuilder.CODE).build());
        assertEquals(0, stripped.functions());
        assertMiss(stripped, 0x1000);
        assertTrue(stripped.problems().isEmpty());
        PeSymbolFile emptyTable = open(PeImageBuilder.pe32Plus()
                .section(".text", 0x1000, 0x200, PeImageBuilder.CODE).emptySymbolTable().build());
        assertEquals(0, emptyTable.functions());
        PeSymbolFile onlyData = open(PeImageBuilder.pe32Plus()
                .section(".text", 0x1000, 0x200, PeImageBuilder.CODE)
                .symbol("counter", 0, 1, 0, 2).build());
        assertEquals(0, onlyData.functions());
    }

    @Test
    void magicTells() throws IOException {
        Path pe = tmp.resolve("a.exe");
        Files.write(pe, mingwLike().build());
        Path other = tmp.resolve("b.bin");
        Files.write(other, new byte[] {0x7f, 'E', 'L', 'F'});
        assertTrue(PeSymbolFile.isPe(pe));
        assertFalse(PeSymbolFile.isPe(other));
        assertFalse(PeSymbolFile.isPe(tmp.resolve("absent.exe")));
        assertFalse(PeSymbolFile.isPe(tmp));
    }

    @Test
    void theCodeViewRecordIsTheDebugIdAndTheHeadersTheCodeId() throws IOException {
        byte[] guid = {0x33, 0x22, 0x11, 0x00, 0x55, 0x44, 0x77, 0x66, (byte) 0x88, (byte) 0x99, (byte) 0xaa,
                (byte) 0xbb, (byte) 0xcc, (byte) 0xdd, (byte) 0xee, (byte) 0xff};
        PeImageBuilder b = mingwLike().rsds(guid, 0x2a);
        PeSymbolFile f = open(b.build());
        // Breakpad's spelling: Data1, Data2, Data3 as little-endian numbers, the other 8 bytes in order, the age
        assertEquals("00112233445566778899AABBCCDDEEFF2A", f.debugId());
        assertEquals(0x5f000000L, f.timeDateStamp());
        assertEquals(0x4000, b.imageSize()); // .text, .data, then .buildid at 0x3000
        assertEquals(new BuildIdentity("00112233445566778899AABBCCDDEEFF2A", null, "5F0000004000", List.of(0x4000L),
                "SizeOfImage"), f.identity());
        assertHit(f, 0x1042, "leak_small", 2); // the names are unchanged by the extra section
        assertTrue(f.problems().isEmpty(), f.problems().toString());

        PeSymbolFile old = open(mingwLike().nb10(0x45d35f6c, 3).build());
        assertEquals("45D35F6C3", old.debugId());
        PeSymbolFile none = open(mingwLike().build());
        assertEquals(null, none.debugId());
        assertEquals("5F0000003000", none.identity().codeId());
    }
}
