package org.leakscope.minidump;

import io.kaitai.struct.ByteBufferKaitaiStream;
import io.kaitai.struct.KaitaiStream;
import java.nio.ByteBuffer;

/**
 * Kaitai's buffer stream allocates a {@code size:} field's array before checking that the bytes exist, so a
 * damaged length of 0xffffffff would ask for 4 GB. This stream checks first, and keeps the file offset of
 * its first byte so errors can name a file position.
 */
final class BoundedKaitaiStream extends ByteBufferKaitaiStream {
    private final long fileOffset;

    BoundedKaitaiStream(byte[] bytes, long fileOffset) {
        super(bytes);
        this.fileOffset = fileOffset;
    }

    private BoundedKaitaiStream(ByteBuffer slice, long fileOffset) {
        super(slice);
        this.fileOffset = fileOffset;
    }

    /** File offset of the current position. */
    long filePosition() {
        return fileOffset + pos();
    }

    @Override
    protected byte[] readBytesNotAligned(long n) {
        checkAvailable(n);
        return super.readBytesNotAligned(n);
    }

    @Override
    public KaitaiStream substream(long n) {
        checkAvailable(n);
        long start = filePosition();
        ByteBuffer slice = asRoBuffer();
        slice.position(pos());
        slice.limit(pos() + (int) n);
        seek(pos() + n);
        return new BoundedKaitaiStream(slice.slice(), start);
    }

    private void checkAvailable(long n) {
        long left = size() - pos();
        if (n < 0 || n > left) {
            throw new TruncatedException(filePosition(), n, left);
        }
    }

    /** A read past the end of the bytes a structure was given. */
    static final class TruncatedException extends RuntimeException {
        final long fileOffset;
        final long wanted;
        final long available;

        TruncatedException(long fileOffset, long wanted, long available) {
            super("wanted " + wanted + " bytes, " + available + " left");
            this.fileOffset = fileOffset;
            this.wanted = wanted;
            this.available = available;
        }
    }
}
