package org.leakscope.minidump;

import io.kaitai.struct.KaitaiStream;
import java.nio.BufferUnderflowException;
import java.util.function.Function;
import org.leakscope.model.InputFormatException;

/**
 * Runs a generated Kaitai constructor over bytes taken from the file and turns every way it can fail into an
 * {@link InputFormatException} naming the file offset, so no Kaitai or buffer exception reaches a caller.
 */
final class StructReader {
    private StructReader() {
    }

    static <T> T parse(DumpFile file, long offset, byte[] bytes, String what, Function<KaitaiStream, T> ctor) {
        BoundedKaitaiStream io = new BoundedKaitaiStream(bytes, offset);
        try {
            return ctor.apply(io);
        } catch (BoundedKaitaiStream.TruncatedException e) {
            throw InputFormatException.atOffset(file.name(), e.fileOffset,
                    what + ": " + e.wanted + " more bytes", "only " + e.available + " bytes left in it", e);
        } catch (KaitaiStream.ValidationFailedError e) {
            throw InputFormatException.atOffset(file.name(), offset,
                    what + " whose fields fit its " + bytes.length + " bytes (" + srcPath(e) + ")",
                    describe(e), e);
        } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
            throw InputFormatException.atOffset(file.name(), io.filePosition(),
                    what + ": " + bytes.length + " bytes holding the whole structure", "it ends early", e);
        } catch (RuntimeException e) {
            if (e instanceof InputFormatException ife) {
                throw ife;
            }
            throw InputFormatException.atOffset(file.name(), io.filePosition(), what, "undecodable data: " + e, e);
        }
    }

    /** Kaitai messages look like "at pos 4: validation failed: not matching the expression; got 12345". */
    private static String describe(KaitaiStream.ValidationFailedError e) {
        String m = String.valueOf(e.getMessage());
        int cut = m.indexOf("validation failed:");
        String tail = cut >= 0 ? m.substring(cut + "validation failed:".length()).trim() : m;
        return tail.isEmpty() ? "a value out of range" : tail;
    }

    private static String srcPath(KaitaiStream.ValidationFailedError e) {
        String m = String.valueOf(e.getMessage());
        int slash = m.indexOf("/types/");
        if (slash < 0) {
            return "minidump.ksy";
        }
        int end = m.indexOf(' ', slash);
        String path = end < 0 ? m.substring(slash) : m.substring(slash, end);
        return "minidump.ksy " + path.replaceAll("[:,]$", "");
    }
}
