package org.leakscope.symbols.dwarf;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Consumer;
import org.leakscope.symbols.ImageSections;

/** A copy of a real ELF program whose {@code .eh_frame} holds entries a test writes with {@link EhFrameBuilder}. */
final class CraftedEhFrame {
    private CraftedEhFrame() {
    }

    /**
     * A copy of {@code original} in {@code dir} whose .eh_frame holds what {@code write} writes, then a good FDE
     * at {@code good} (CFA rsp+8, after one byte rsp+16) and the terminator; its .eh_frame_hdr is disabled
     * (version 0), so the reader indexes the FDEs itself.
     */
    static Path write(Path original, Path dir, long good, Consumer<EhFrameBuilder> write) throws IOException {
        Path copy = dir.resolve("crafted");
        Files.copy(original, copy, StandardCopyOption.REPLACE_EXISTING);
        ImageSections.Section eh;
        ImageSections.Section hdr;
        try (FileChannel ch = FileChannel.open(copy)) {
            ImageSections s = ImageSections.read(ch, copy.toString());
            eh = s.section(".eh_frame").orElseThrow();
            hdr = s.section(".eh_frame_hdr").orElseThrow();
        }
        EhFrameBuilder b = new EhFrameBuilder(eh.address());
        write.accept(b);
        int cie = b.cie("zR", 0x0c, 7, 8, 0x90, 1); // def_cfa rsp+8, rip at cfa-8
        b.fde(cie, good, 0x20, 0x41, 0x0e, 16); // advance 1, def_cfa_offset 16
        b.raw(0, 0, 0, 0);
        byte[] bytes = b.bytes();
        assertTrue(bytes.length <= eh.fileSize(), bytes.length + " bytes");
        try (RandomAccessFile f = new RandomAccessFile(copy.toFile(), "rw")) {
            f.seek(eh.fileOffset());
            f.write(new byte[(int) eh.fileSize()]);
            f.seek(eh.fileOffset());
            f.write(bytes);
            f.seek(hdr.fileOffset());
            f.write(0);
        }
        return copy;
    }
}
