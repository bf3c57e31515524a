package org.leakscope.minidump;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Limits;

/**
 * A table image file (docs/formats/resmon-table.md): the tracker's table header and chunks stored at their
 * virtual addresses, read with the same code as a dump's memory. Ranges are checked against the file before any
 * is read; bytes are read on demand.
 */
public final class TableImage implements TableMemory, AutoCloseable {
    static final byte[] MAGIC = {'L', 'K', 'R', 'M', 'I', 'M', 'G', '1'};
    /** The minidump user stream a tracker's launcher stores its table image in (above LastReservedStream). */
    public static final long USER_STREAM_TYPE = StreamKind.LEAKSCOPE_RESMON_TABLE.type();
    private static final int HEADER = 24;

    private record Range(long va, long length, long fileOffset) {
    }

    /** Where the image's bytes are: a file, or a minidump user stream already read. */
    private interface Store extends AutoCloseable {
        long size() throws IOException;

        /** Up to {@code n} bytes at {@code at} (fewer at the end), little-endian, flipped for reading. */
        ByteBuffer read(long at, int n) throws IOException;

        @Override
        void close() throws IOException;
    }

    private record FileStore(FileChannel channel) implements Store {
        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public ByteBuffer read(long at, int n) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining()) {
                if (channel.read(b, at + b.position()) < 0) {
                    break;
                }
            }
            b.flip();
            return b;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private record ArrayStore(byte[] bytes) implements Store {
        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public ByteBuffer read(long at, int n) {
            int from = (int) Math.min(at, bytes.length);
            int len = (int) Math.min(n, bytes.length - from);
            return ByteBuffer.wrap(Arrays.copyOfRange(bytes, from, from + len)).order(ByteOrder.LITTLE_ENDIAN);
        }

        @Override
        public void close() {
        }
    }

    private final String source;
    private final Store store;
    private final List<Range> ranges;
    private final long headerVa;

    private TableImage(String source, Store store, List<Range> ranges, long headerVa) {
        this.source = source;
        this.store = store;
        this.ranges = ranges;
        this.headerVa = headerVa;
    }

    /** True when the file starts like a table image. */
    public static boolean isImage(byte[] head) {
        return head.length >= MAGIC.length && Arrays.equals(Arrays.copyOf(head, MAGIC.length), MAGIC);
    }

    public static TableImage open(Path path, Limits limits) throws IOException {
        return open(path.toString(), new FileStore(FileChannel.open(path, StandardOpenOption.READ)), limits);
    }

    /** An image carried in memory: a minidump user stream (docs/formats/resmon-table.md). */
    public static TableImage fromBytes(String source, byte[] bytes, Limits limits) {
        try {
            return open(source, new ArrayStore(bytes), limits);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // an array does not fail to read
        }
    }

    private static TableImage open(String source, Store ch, Limits limits) throws IOException {
        try {
            long size = ch.size();
            ByteBuffer head = ch.read(0, (int) Math.min(HEADER, size));
            if (head.remaining() < HEADER || !isImage(Arrays.copyOf(head.array(), MAGIC.length))) {
                throw InputFormatException.atOffset(source, 0, "a table image ('LKRMIMG1' and a 24-byte header)",
                        size < HEADER ? "a " + size + "-byte file" : "other bytes");
            }
            long version = Integer.toUnsignedLong(head.getInt(8));
            if (version != 1) {
                throw InputFormatException.atOffset(source, 8, "table image version 1", "version " + version);
            }
            long count = Integer.toUnsignedLong(head.getInt(12));
            long headerVa = head.getLong(16);
            // each range takes at least 16 bytes: a count the file cannot hold is damage, not an allocation
            if (count > (size - HEADER) / 16 || count > limits.maxMemoryRanges()) {
                throw InputFormatException.atOffset(source, 12, "a range count the file can hold (at most "
                        + Math.min((size - HEADER) / 16, limits.maxMemoryRanges()) + ")", Long.toString(count));
            }
            List<Range> ranges = new ArrayList<>((int) count);
            long at = HEADER;
            for (long i = 0; i < count; i++) {
                ByteBuffer r = ch.read(at, 16);
                if (r.remaining() < 16) {
                    throw InputFormatException.atOffset(source, at, "range " + i + " of " + count, "end of file");
                }
                long va = r.getLong(0);
                long length = r.getLong(8);
                long padded = length + (8 - length % 8) % 8;
                if (length < 0 || padded < 0 || at + 16 + padded > size || at + 16 + padded < 0) {
                    throw InputFormatException.atOffset(source, at + 8, "range " + i + "'s length within the file ("
                            + (size - at - 16) + " bytes left)", Long.toUnsignedString(length));
                }
                ranges.add(new Range(va, length, at + 16));
                at += 16 + padded;
            }
            ranges.sort(Comparator.comparing(Range::va, Long::compareUnsigned));
            return new TableImage(source, ch, List.copyOf(ranges), headerVa);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Where the table header is. */
    public long headerVa() {
        return headerVa;
    }

    public int rangeCount() {
        return ranges.size();
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public byte[] readFully(long va, int length) {
        for (Range r : ranges) {
            long off = va - r.va();
            if (Long.compareUnsigned(va, r.va()) >= 0 && Long.compareUnsigned(off + length, r.length()) <= 0
                    && off + length >= off) {
                try {
                    ByteBuffer b = store.read(r.fileOffset() + off, length);
                    if (b.remaining() != length) {
                        return null;
                    }
                    byte[] out = new byte[length];
                    b.get(out);
                    return out;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        store.close();
    }
}
