package org.leakscope.stackwalk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.leakscope.model.InputFormatException;
import org.leakscope.symbols.ImageSections;

/**
 * The bytes of a module's program file (ELF or PE) by module offset, through its section table: what the stack
 * scan's call check reads when the dump did not capture the code. A file whose headers cannot be read has no bytes.
 */
final class ProgramFileCode implements AutoCloseable {
    private final FileChannel ch;
    private final ImageSections sections;

    private ProgramFileCode(FileChannel ch, ImageSections sections) {
        this.ch = ch;
        this.sections = sections;
    }

    /** Opens the file and reads its section table; empty when it cannot be read. */
    static Optional<ProgramFileCode> open(Path file) {
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
            return Optional.of(new ProgramFileCode(ch, ImageSections.read(ch, file.toString())));
        } catch (IOException | InputFormatException e) {
            try {
                if (ch != null) {
                    ch.close();
                }
            } catch (IOException ignored) {
                // nothing was read from it
            }
            return Optional.empty();
        }
    }

    /** The file's preferred load address (PE ImageBase): absolute addresses in its code count from it. */
    long loadBase() {
        return sections.loadBase();
    }

    /**
     * Up to {@code n} bytes ending right before module offset {@code rva}, all from the one section that holds the
     * byte before it (fewer near the section's start); none when no section's file data holds it.
     */
    byte[] before(long rva, int n) {
        long address = sections.loadBase() + rva;
        Optional<ImageSections.Section> s = sections.sectionAt(address - 1);
        if (s.isEmpty()) {
            return new byte[0];
        }
        int take = (int) Math.min(n, address - s.get().address());
        ByteBuffer b = ByteBuffer.allocate(take);
        long at = s.get().fileOffset() + (address - take - s.get().address());
        try {
            while (b.hasRemaining()) {
                if (ch.read(b, at + b.position()) < 0) {
                    return new byte[0];
                }
            }
        } catch (IOException e) {
            return new byte[0];
        }
        return b.array();
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
