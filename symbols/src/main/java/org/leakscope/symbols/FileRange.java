package org.leakscope.symbols;

import io.kaitai.struct.ByteBufferKaitaiStream;
import io.kaitai.struct.KaitaiStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.leakscope.model.InputFormatException;

/**
 * Bounded reads of a program file's structures for the ELF and PE symbol readers: a range is checked against
 * the file's size before anything is allocated, and a structure that fails to parse names its file offset.
 */
final class FileRange {
    private FileRange() {
    }

    /** A generated structure's constructor. */
    interface Ctor<T> {
        T make(KaitaiStream io);
    }

    /** {@code length} bytes at {@code offset}, which must lie inside the {@code fileSize}-byte file. */
    static byte[] read(FileChannel ch, String source, long offset, long length, long fileSize, String what)
            throws IOException {
        if (offset < 0 || length < 0 || offset > fileSize || length > fileSize - offset || length > Integer.MAX_VALUE) {
            throw InputFormatException.atOffset(source, Math.max(0, offset), what + " (" + length
                    + " bytes) inside the " + fileSize + "-byte file", "a range past its end");
        }
        ByteBuffer b = ByteBuffer.allocate((int) length);
        while (b.hasRemaining()) {
            if (ch.read(b, offset + b.position()) < 0) {
                throw InputFormatException.atOffset(source, offset + b.position(), what, "end of file");
            }
        }
        return b.array();
    }

    /**
     * The structure at {@code index} of {@code bytes}; a failure is reported at file offset {@code at}, as
     * {@code invalid} when a value breaks the spec and as {@code structure} when the bytes run out.
     */
    static <T> T parse(String source, byte[] bytes, long index, long at, String invalid, String structure,
            Ctor<T> ctor) {
        ByteBufferKaitaiStream io = new ByteBufferKaitaiStream(bytes);
        try {
            io.seek(index);
            return ctor.make(io);
        } catch (KaitaiStream.ValidationFailedError e) {
            throw InputFormatException.atOffset(source, at, invalid, String.valueOf(e.getMessage()), e);
        } catch (RuntimeException e) {
            throw InputFormatException.atOffset(source, at, structure, "a truncated one (" + e + ")", e);
        }
    }
}
