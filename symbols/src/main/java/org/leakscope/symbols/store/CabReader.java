package org.leakscope.symbols.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.leakscope.model.InputFormatException;

/**
 * The one file in a Microsoft cabinet, as symbol servers compress PDBs and binaries ({@code app.pd_},
 * {@code app.ex_}): header (CFHEADER), folders (CFFOLDER), files (CFFILE), data blocks (CFDATA).
 *
 * <p>MSZIP folders are read: each block is {@code "CK"} and a deflate stream whose dictionary is the previous
 * block's output (up to 32 KiB). Uncompressed folders are copied. LZX and Quantum are refused by name. The
 * file's size is checked against the caller's limit before anything is written, output goes straight to disk
 * a block at a time, and every count and offset is checked against the cabinet's size before it is followed.
 * Block checksums are not verified (symstore writes them, but the deflate stream and the sizes already catch
 * damage); the name stored in the cabinet is never used as a path.
 */
public final class CabReader {
    private static final int HEADER = 36;
    private static final int FOLDER = 8;
    private static final int FILE = 16;
    private static final int DATA = 8;
    private static final int FLAG_PREV = 1;
    private static final int FLAG_NEXT = 2;
    private static final int FLAG_RESERVE = 4;
    /** MSZIP blocks hold at most 32 KiB of output; the deflate window is as large. */
    private static final int BLOCK = 32768;

    private final FileChannel ch;
    private final String source;
    private final long size;

    private CabReader(FileChannel ch, String source) throws IOException {
        this.ch = ch;
        this.source = source;
        this.size = ch.size();
    }

    /**
     * Writes the cabinet's first file to {@code out} (created or replaced).
     *
     * @throws InputFormatException when {@code cab} is not a cabinet, is damaged, spans several cabinets, uses a
     *                              compression this does not read, or holds a file larger than {@code maxBytes}
     */
    public static void extract(Path cab, Path out, long maxBytes) throws IOException {
        try (FileChannel ch = FileChannel.open(cab, StandardOpenOption.READ)) {
            new CabReader(ch, cab.toString()).extract(out, maxBytes);
        }
    }

    private void extract(Path out, long maxBytes) throws IOException {
        ByteBuffer h = read(0, HEADER, "a cabinet header (CFHEADER)");
        if (h.getInt(0) != 0x4643534d) { // "MSCF"
            throw InputFormatException.atOffset(source, 0, "the cabinet signature MSCF", hex(h.getInt(0)));
        }
        long coffFiles = u32(h, 16);
        int folders = u16(h, 26);
        int files = u16(h, 28);
        int flags = u16(h, 30);
        if ((flags & (FLAG_PREV | FLAG_NEXT)) != 0) {
            throw InputFormatException.atOffset(source, 30, "a single cabinet", "one of a set spanning cabinets");
        }
        long at = HEADER;
        int folderReserve = 0;
        int dataReserve = 0;
        if ((flags & FLAG_RESERVE) != 0) {
            ByteBuffer r = read(at, 4, "the reserve sizes");
            folderReserve = r.get(2) & 0xff;
            dataReserve = r.get(3) & 0xff;
            at += 4 + u16(r, 0);
        }
        if (folders == 0 || files == 0) {
            throw InputFormatException.atOffset(source, 26, "at least one folder and one file",
                    folders + " folders, " + files + " files");
        }
        ByteBuffer f = read(coffFiles, FILE, "the first file entry (CFFILE)");
        long fileSize = u32(f, 0);
        long fileStart = u32(f, 4);
        int folderIndex = u16(f, 8);
        if (folderIndex >= folders) {
            throw InputFormatException.atOffset(source, coffFiles + 8, "a folder index below " + folders,
                    Integer.toString(folderIndex));
        }
        if (fileSize > maxBytes) {
            throw InputFormatException.atOffset(source, coffFiles, "a file of at most " + maxBytes + " bytes",
                    fileSize + " bytes");
        }
        long folderAt = at + (long) folderIndex * (FOLDER + folderReserve);
        ByteBuffer fo = read(folderAt, FOLDER, "a folder entry (CFFOLDER)");
        long dataAt = u32(fo, 0);
        int blocks = u16(fo, 4);
        int compression = u16(fo, 6) & 0x0f;
        switch (compression) {
            case 0, 1 -> { }
            case 2 -> throw InputFormatException.atOffset(source, folderAt + 6, "MSZIP or no compression",
                    "compressed with Quantum, which Leakscope does not read");
            case 3 -> throw InputFormatException.atOffset(source, folderAt + 6, "MSZIP or no compression",
                    "compressed with LZX, which Leakscope does not read");
            default -> throw InputFormatException.atOffset(source, folderAt + 6, "MSZIP or no compression",
                    "compression type " + compression);
        }
        try (OutputStream o = Files.newOutputStream(out)) {
            copy(dataAt, blocks, dataReserve, compression == 1, fileStart, fileSize, o);
        }
    }

    /** The folder's blocks decompressed in order; bytes [start, start + length) of their output go to {@code o}. */
    private void copy(long at, int blocks, int reserve, boolean mszip, long start, long length, OutputStream o)
            throws IOException {
        byte[] window = new byte[0];
        byte[] outBuf = new byte[BLOCK];
        long produced = 0;
        long end = start + length;
        Inflater inflater = new Inflater(true);
        try {
            for (int b = 0; b < blocks && produced < end; b++) {
                ByteBuffer d = read(at, DATA, "a data block header (CFDATA)");
                int packed = u16(d, 4);
                int unpacked = u16(d, 6);
                long body = at + DATA + reserve;
                if (unpacked > BLOCK) {
                    throw InputFormatException.atOffset(source, at + 6, "a block of at most 32768 bytes",
                            unpacked + " bytes");
                }
                ByteBuffer in = read(body, packed, "a data block of " + packed + " bytes");
                int n;
                if (mszip) {
                    n = inflate(inflater, in, body, window, outBuf, unpacked);
                } else {
                    if (packed != unpacked) {
                        throw InputFormatException.atOffset(source, at + 4, "equal sizes in an uncompressed block",
                                packed + " and " + unpacked);
                    }
                    in.get(outBuf, 0, packed);
                    n = packed;
                }
                long from = Math.max(start, produced);
                long to = Math.min(end, produced + n);
                if (to > from) {
                    o.write(outBuf, (int) (from - produced), (int) (to - from));
                }
                produced += n;
                window = Arrays.copyOf(outBuf, n);
                at = body + packed;
            }
        } finally {
            inflater.end();
        }
        if (produced < end) {
            throw InputFormatException.atOffset(source, at, end + " bytes of output for the file",
                    produced + " bytes in the folder's blocks");
        }
    }

    private int inflate(Inflater inflater, ByteBuffer in, long at, byte[] window, byte[] out, int unpacked)
            throws IOException {
        if (in.remaining() < 2 || in.get(0) != 'C' || in.get(1) != 'K') {
            throw InputFormatException.atOffset(source, at, "an MSZIP block starting with CK", "other bytes");
        }
        byte[] packed = new byte[in.remaining() - 2];
        in.position(2);
        in.get(packed);
        inflater.reset();
        if (window.length > 0) {
            inflater.setDictionary(window);
        }
        inflater.setInput(packed);
        try {
            int n = 0;
            while (n < out.length && !inflater.finished()) {
                int k = inflater.inflate(out, n, out.length - n);
                if (k == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                n += k;
            }
            if (!inflater.finished() || n != unpacked) {
                throw InputFormatException.atOffset(source, at, "a complete deflate stream of " + unpacked
                        + " bytes", n + " bytes" + (inflater.finished() ? "" : ", then the block ended"));
            }
            return n;
        } catch (DataFormatException e) {
            throw InputFormatException.atOffset(source, at, "deflate data", "damage (" + e.getMessage() + ")");
        }
    }

    private ByteBuffer read(long at, int length, String what) throws IOException {
        if (at < 0 || at > size || length > size - at) {
            throw InputFormatException.atOffset(source, at, what, "the end of the cabinet at " + size);
        }
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) {
                throw InputFormatException.atOffset(source, at, what, "the end of the file");
            }
        }
        return b.flip();
    }

    private static int u16(ByteBuffer b, int at) {
        return b.getShort(at) & 0xffff;
    }

    private static long u32(ByteBuffer b, int at) {
        return b.getInt(at) & 0xffff_ffffL;
    }

    private static String hex(int v) {
        return String.format("0x%08x", v);
    }
}
