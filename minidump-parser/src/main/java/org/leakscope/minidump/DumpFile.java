package org.leakscope.minidump;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.leakscope.model.InputFormatException;

/**
 * Positional, bounds-checked reads from the dump file. Reads go through the channel into buffers sized by
 * the caller's (already validated) length, so nothing depends on the file fitting a 2 GB mapping.
 */
final class DumpFile implements AutoCloseable {
    private final String name;
    private final FileChannel channel;
    private final long size;

    DumpFile(Path path) throws IOException {
        this.name = path.toString();
        this.channel = FileChannel.open(path, StandardOpenOption.READ);
        this.size = channel.size();
    }

    String name() {
        return name;
    }

    long size() {
        return size;
    }

    /** True when [offset, offset + length) lies inside the file; both unsigned-safe for values read from it. */
    boolean contains(long offset, long length) {
        return offset >= 0 && length >= 0 && offset <= size && length <= size - offset;
    }

    /**
     * Fills {@code buf} (from its position to its limit) with the bytes at {@code offset}, for scans that reuse
     * one buffer; the range must lie inside the file.
     */
    void readInto(ByteBuffer buf, long offset, String what) {
        if (!contains(offset, buf.remaining())) {
            throw InputFormatException.atOffset(name, offset, what + " inside the file", "a range past its end");
        }
        try {
            long pos = offset;
            while (buf.hasRemaining()) {
                int n = channel.read(buf, pos);
                if (n < 0) {
                    throw InputFormatException.atOffset(name, pos, what, "end of file (file shrank while reading)");
                }
                pos += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": read failed at offset " + offset, e);
        }
    }

    /**
     * Reads exactly {@code length} bytes at {@code offset}. The range is checked against the file size
     * before the buffer is allocated.
     */
    byte[] read(long offset, int length, String what) {
        if (!contains(offset, length)) {
            throw InputFormatException.atOffset(name, offset,
                    what + " of " + length + " bytes inside the " + size + "-byte file",
                    offset > size ? "an offset past the end" : "only " + (size - offset) + " bytes left");
        }
        byte[] out = new byte[length];
        readInto(ByteBuffer.wrap(out), offset, what);
        return out;
    }

    /** Reads up to {@code length} bytes at {@code offset}, fewer when the file ends first. */
    byte[] readAtMost(long offset, int length, String what) {
        if (offset < 0 || offset > size) {
            throw InputFormatException.atOffset(name, offset, what + " inside the " + size + "-byte file",
                    "an offset past the end");
        }
        return read(offset, (int) Math.min(length, size - offset), what);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
