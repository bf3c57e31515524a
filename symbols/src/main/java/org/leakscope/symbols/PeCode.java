package org.leakscope.symbols;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The bytes of a PE image's code sections, by RVA, as {@link PeSymbolFile#code()} found them in its section
 * table: what a check of the instructions at an address reads (module-base recovery reads the few bytes before a
 * return address). Each section's file data is mapped read-only, never copied onto the heap; a section the
 * headers place past the end of the file is left out (its bytes read as absent), so damage cannot make a read
 * leave the file.
 */
public final class PeCode {
    /** A code section: its RVA range and where its initialized bytes ({@code rawSize} of them) lie in the file. */
    record Range(long rva, long end, long fileOffset, long rawSize) {
    }

    /** A mapped code section: bytes [rva, rva + bytes.capacity()) of the image. */
    private record Mapped(long rva, long end, ByteBuffer bytes) {
    }

    private final List<Mapped> sections;

    private PeCode(List<Mapped> sections) {
        this.sections = sections;
    }

    /** Maps the code sections' file data; a range outside the file or over 2 GiB is left out. */
    static PeCode map(Path file, List<Range> code) throws IOException {
        List<Mapped> out = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            for (Range r : code) {
                long len = Math.min(r.rawSize(), r.end() - r.rva());
                if (len <= 0 || r.fileOffset() < 0 || r.fileOffset() > size || len > size - r.fileOffset()
                        || len > Integer.MAX_VALUE) {
                    continue;
                }
                MappedByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, r.fileOffset(), len);
                out.add(new Mapped(r.rva(), r.end(), b));
            }
        }
        out.sort(Comparator.comparingLong(Mapped::rva));
        return new PeCode(List.copyOf(out));
    }

    /** True when {@code rva} lies in a code section (its initialized bytes or the zero-filled rest). */
    public boolean contains(long rva) {
        for (Mapped m : sections) {
            if (rva >= m.rva() && rva < m.end()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Up to {@code n} bytes that end right before {@code rva}, all from the one code section whose file data
     * holds them (fewer near the section's start); empty when {@code rva - 1} is not in a code section's file
     * data.
     */
    public byte[] before(long rva, int n) {
        for (Mapped m : sections) {
            long cap = m.bytes().capacity();
            if (rva > m.rva() && rva - m.rva() <= cap) {
                int take = (int) Math.min(n, rva - m.rva());
                byte[] out = new byte[take];
                m.bytes().get((int) (rva - m.rva() - take), out);
                return out;
            }
        }
        return new byte[0];
    }
}
