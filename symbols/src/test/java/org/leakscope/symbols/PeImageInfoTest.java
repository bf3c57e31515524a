package org.leakscope.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The identity of generated PE images: NB10 and RSDS CodeView records, the machines dumpsyms names, an image
 * without a debug directory. (The corpus' MSVC images are checked in {@link X64UnwindGoldenTest}.)
 */
class PeImageInfoTest {
    @TempDir
    Path tmp;

    private PeImageInfo read(PeImageBuilder b) throws IOException {
        Path p = tmp.resolve("x.exe");
        Files.write(p, b.build());
        return PeImageInfo.read(p);
    }

    private static PeImageBuilder image(int machine) {
        return PeImageBuilder.pe32Plus(machine).section(".text", 0x1000, 0x200, PeImageBuilder.CODE);
    }

    @Test
    void nb10Record() throws IOException {
        PeImageInfo info = read(image(PeImageBuilder.MACHINE_AMD64).nb10(0x45d35f6c, 3));
        assertEquals("NB10", info.codeView().format());
        assertEquals("45D35F6C", info.codeView().signature());
        assertEquals(3, info.codeView().age());
        assertEquals("45D35F6C3", info.debugId());
        assertEquals("x.pdb", info.pdbName());
        assertEquals(1, info.debugEntries().size());
        assertEquals("CODEVIEW", info.debugEntries().get(0).typeName());
    }

    @Test
    void rsdsRecord() throws IOException {
        byte[] guid = {0x78, 0x56, 0x34, 0x12, 0x34, 0x12, 0x78, 0x56, 1, 2, 3, 4, 5, 6, 7, 8};
        PeImageInfo info = read(image(PeImageBuilder.MACHINE_AMD64).rsds(guid, 0x1a));
        assertEquals("RSDS", info.codeView().format());
        assertEquals("1234567812345678" + "0102030405060708" + "1A", info.debugId());
        assertEquals("x.pdb", info.codeView().pdbPath());
        assertEquals(List.of(), info.problems());
    }

    @Test
    void machines() throws IOException {
        assertEquals("arm64", read(image(PeImageInfo.MACHINE_ARM64)).cpu());
        assertEquals("x86_64", read(image(PeImageInfo.MACHINE_AMD64)).cpu());
        PeImageInfo x86 = read(PeImageBuilder.pe32(PeImageBuilder.MACHINE_I386)
                .section(".text", 0x1000, 0x200, PeImageBuilder.CODE));
        assertEquals("x86", x86.cpu());
        assertNull(read(image(0x5064)).cpu(), "RISC-V: no Breakpad name");
    }

    @Test
    void noDebugDirectory() throws IOException {
        PeImageInfo info = read(image(PeImageBuilder.MACHINE_AMD64));
        assertNull(info.codeView());
        assertNull(info.debugId());
        assertNull(info.pdbName());
        assertEquals(List.of(), info.debugEntries());
        assertEquals(info.codeId().toUpperCase(java.util.Locale.ROOT), info.symCodeId());
    }

    @Test
    void arm64ImagesHaveNoX64UnwindData() throws IOException {
        Path p = tmp.resolve("arm.dll");
        Files.write(p, image(PeImageInfo.MACHINE_ARM64).build());
        try (X64Unwind u = X64Unwind.open(p)) {
            assertEquals(0, u.functions());
            assertEquals(List.of(), u.problems());
        }
    }
}
