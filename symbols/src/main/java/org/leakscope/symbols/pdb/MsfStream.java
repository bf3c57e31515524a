package org.leakscope.symbols.pdb;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.leakscope.model.InputFormatException;

/**
 * One stream of an {@link MsfFile}: bounded little-endian reads at stream offsets, gathered from the stream's
 * blocks through the file's mappings. A read past the stream's end is an {@link InputFormatException} at the
 * file offset of the stream's last byte (or its first block, for an empty stream), naming the stream, the
 * offset and the size.
 */
public final class MsfStream {
    /** The largest {@link #bytes} copy: a stream's records are read in pieces, never a whole large stream. */
    static final int MAX_COPY = 256 * 1024 * 1024;

    private final MsfFile file;
    private final int index;
    private final long size;
    private final int[] blocks;
    private final int shift;
    private final int mask;

    MsfStream(MsfFile file, int index, long size, int[] blocks) {
        this.file = file;
        this.index = index;
        this.size = size;
        this.blocks = blocks;
        this.shift = file.blockShift();
        this.mask = file.blockSize() - 1;
    }

    /** The stream number; -1 for the directory itself. */
    public int index() {
        return index;
    }

    public long size() {
        return size;
    }

    /** The file's name, for messages. */
    public String source() {
        return file.source();
    }

    /** The file offset of stream byte {@code offset} (clamped into the stream), for error messages. */
    public long fileOffset(long offset) {
        if (blocks.length == 0) {
            return 0;
        }
        long o = Math.max(0, Math.min(offset, size - 1));
        return ((long) blocks[(int) (o >>> shift)] << shift) + (o & mask);
    }

    /** Throws unless {@code length} bytes at {@code offset} lie inside the stream. */
    public void check(long offset, long length, String what) {
        if (offset < 0 || length < 0 || offset > size || length > size - offset) {
            throw InputFormatException.atOffset(file.source(), fileOffset(offset), what + " (" + length
                    + " bytes at offset " + offset + ") inside " + name() + " of " + size + " bytes",
                    "a range past its end");
        }
    }

    /** The error for a bad value read at stream offset {@code offset}. */
    public InputFormatException error(long offset, String expected, String found) {
        return InputFormatException.atOffset(file.source(), fileOffset(offset), expected + " (" + name()
                + ", offset " + offset + ")", found);
    }

    private String name() {
        return index < 0 ? "the stream directory" : "stream " + index;
    }

    public int u8(long offset) {
        check(offset, 1, "a byte");
        return at(offset) & 0xFF;
    }

    public int u16(long offset) {
        check(offset, 2, "a 16-bit value");
        int within = (int) (offset & mask);
        if (within + 2 <= mask + 1) {
            return file.window(pos(offset)).getShort(windowIndex(offset)) & 0xFFFF;
        }
        return (at(offset) & 0xFF) | (at(offset + 1) & 0xFF) << 8;
    }

    public long u32(long offset) {
        return i32(offset) & 0xFFFF_FFFFL;
    }

    public int i32(long offset) {
        check(offset, 4, "a 32-bit value");
        int within = (int) (offset & mask);
        if (within + 4 <= mask + 1) {
            return file.window(pos(offset)).getInt(windowIndex(offset));
        }
        int v = 0;
        for (int i = 3; i >= 0; i--) {
            v = v << 8 | (at(offset + i) & 0xFF);
        }
        return v;
    }

    public long u64(long offset) {
        check(offset, 8, "a 64-bit value");
        return u32(offset) | u32(offset + 4) << 32;
    }

    /** A copy of {@code length} bytes at {@code offset}. */
    public byte[] bytes(long offset, long length) {
        check(offset, length, "a byte range");
        if (length > MAX_COPY) {
            throw error(offset, "a range of at most " + MAX_COPY + " bytes", length + " bytes");
        }
        byte[] out = new byte[(int) length];
        int done = 0;
        while (done < length) {
            long o = offset + done;
            int within = (int) (o & mask);
            int n = (int) Math.min(length - done, mask + 1 - within);
            ByteBuffer w = file.window(pos(o));
            w.get(windowIndex(o), out, done, n);
            done += n;
        }
        return out;
    }

    /**
     * The NUL-terminated string at {@code offset}, at most {@code max} bytes, as UTF-8 (what MSVC writes; older
     * compilers' code-page bytes decode with replacement characters).
     */
    public String cstring(long offset, int max) {
        check(offset, 0, "a string");
        long end = Math.min(size, offset + max);
        for (long o = offset; o < end; o++) {
            if (at(o) == 0) {
                return new String(bytes(offset, o - offset), StandardCharsets.UTF_8);
            }
        }
        throw error(offset, "a NUL-terminated string of at most " + max + " bytes", "none before "
                + (end == size ? "the stream's end" : "the limit"));
    }

    /** A sequential reader over {@code [offset, end)}, which must lie inside the stream. */
    public Cursor cursor(long offset, long end) {
        check(offset, end - offset, "a range");
        return new Cursor(offset, end);
    }

    private byte at(long offset) {
        return file.window(pos(offset)).get(windowIndex(offset));
    }

    private long pos(long offset) {
        return ((long) blocks[(int) (offset >>> shift)] << shift) + (offset & mask);
    }

    private int windowIndex(long offset) {
        return (int) (pos(offset) % MsfFile.WINDOW);
    }

    /** Reads forward through a range of the stream; every read is checked against the range's end. */
    public final class Cursor {
        private long position;
        private final long end;

        private Cursor(long position, long end) {
            this.position = position;
            this.end = end;
        }

        public long position() {
            return position;
        }

        public long end() {
            return end;
        }

        public long remaining() {
            return end - position;
        }

        public boolean hasRemaining() {
            return position < end;
        }

        public MsfStream stream() {
            return MsfStream.this;
        }

        public void seek(long offset) {
            if (offset < 0 || offset > end) {
                throw error(position, "an offset up to " + end, Long.toString(offset));
            }
            position = offset;
        }

        public void skip(long n) {
            need(n);
            position += n;
        }

        public int u8() {
            need(1);
            return MsfStream.this.u8(position++);
        }

        public int u16() {
            need(2);
            int v = MsfStream.this.u16(position);
            position += 2;
            return v;
        }

        public long u32() {
            need(4);
            long v = MsfStream.this.u32(position);
            position += 4;
            return v;
        }

        public int i32() {
            return (int) u32();
        }

        public byte[] bytes(long n) {
            need(n);
            byte[] b = MsfStream.this.bytes(position, n);
            position += n;
            return b;
        }

        /** A NUL-terminated string of at most {@code max} bytes inside the range. */
        public String cstring(int max) {
            long start = position;
            long limit = Math.min(end, start + max);
            for (long o = start; o < limit; o++) {
                if (at(o) == 0) {
                    String s = new String(MsfStream.this.bytes(start, o - start), StandardCharsets.UTF_8);
                    position = o + 1;
                    return s;
                }
            }
            throw error(start, "a NUL-terminated string of at most " + max + " bytes before offset " + end,
                    "none");
        }

        /** Moves to the next multiple of {@code n} (not past the end). */
        public void align(int n) {
            long aligned = (position + n - 1) / n * n;
            position = Math.min(aligned, end);
        }

        private void need(long n) {
            if (n < 0 || n > end - position) {
                throw error(position, n + " bytes before offset " + end, (end - position) + " left");
            }
        }
    }
}
