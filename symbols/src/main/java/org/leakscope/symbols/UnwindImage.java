package org.leakscope.symbols;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.leakscope.model.Hex;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Limits;

/**
 * Where {@link X64Unwind} reads a PE image's exception directory and unwind information: its program file
 * (positions are file offsets, found through the section table) or the image as loaded and captured by a dump
 * (positions are RVAs, and pages the dump did not capture read as absent). One unwind-code interpreter serves
 * both.
 */
interface UnwindImage extends Closeable {
    String source();

    int machine();

    long timeDateStamp();

    long sizeOfImage();

    /** The exception directory: its RVA, its size in bytes and where its data directory entry is (a position). */
    long exceptionRva();

    long exceptionLen();

    long exceptionFieldAt();

    /** The position of {@code len} bytes at {@code rva}, or -1 when the image does not hold them all. */
    long position(long rva, long len);

    /**
     * The bytes from {@code rva} on, at most {@code max}: in a file up to its section's end, in a dump up to the
     * first byte it did not capture (so possibly none).
     */
    byte[] readUpTo(long rva, int max, String what) throws IOException;

    /**
     * {@code len} bytes at a position; null when a dump did not capture them all. A file too short for them is an
     * {@link InputFormatException}.
     */
    byte[] read(long position, long len, String what) throws IOException;

    /** The first position at or after {@code position} that a read may find, or -1 when none will. */
    long nextReadable(long position);

    /** A program file, through its headers and section table. */
    static UnwindImage file(Path path, Limits limits) throws IOException {
        PeSymbolFile headers = PeSymbolFile.open(path, limits, false);
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        long size;
        try {
            size = ch.size();
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return new UnwindImage() {
            public String source() {
                return path.toString();
            }

            public int machine() {
                return headers.machine();
            }

            public long timeDateStamp() {
                return headers.timeDateStamp();
            }

            public long sizeOfImage() {
                return headers.imageSize();
            }

            public long exceptionRva() {
                return headers.exceptionRva();
            }

            public long exceptionLen() {
                return headers.exceptionLen();
            }

            public long exceptionFieldAt() {
                return headers.exceptionFieldAt();
            }

            public long position(long rva, long len) {
                return headers.fileOffset(rva, len);
            }

            public byte[] readUpTo(long rva, int max, String what) throws IOException {
                long at = headers.fileOffset(rva, 0);
                return at < 0 ? new byte[0] : read(at, Math.min(max, headers.sectionFileEnd(rva) - at), what);
            }

            public byte[] read(long position, long len, String what) throws IOException {
                return FileRange.read(ch, path.toString(), position, len, size, what);
            }

            public long nextReadable(long position) {
                return position;
            }

            public void close() throws IOException {
                ch.close();
            }
        };
    }

    /**
     * An image in a dump's memory. Its headers are read from RVA 0, where the loader maps them unchanged; anything
     * that is not a PE32+ image's headers, or was not captured, is an {@link InputFormatException} (positions in
     * it are RVAs). Nothing is allocated by a count the image gives: the directory is read in bounded pieces.
     *
     * @param moduleSize the module's size in the dump's module list: the image's reads stay below it
     */
    static UnwindImage loaded(LoadedImage image, long moduleSize) {
        String source = image.source();
        PeSymbols.DosHeader dos = FileRange.parse(source, captured(image, 0, 64, "an MS-DOS header"), 0, 0,
                "a PE image (MS-DOS header 'MZ')", "an MS-DOS header", PeSymbols.DosHeader::new);
        long peAt = dos.ofsPeHeader();
        if (peAt > MAX_HEADERS) {
            throw InputFormatException.atOffset(source, 60, "e_lfanew inside the image's first "
                    + MAX_HEADERS + " bytes", Hex.of(peAt));
        }
        PeSymbols.PeHeader pe = FileRange.parse(source, captured(image, peAt, 24, "the PE header"), 0, peAt,
                "the PE signature 'PE\\0\\0' at e_lfanew", "the PE header", PeSymbols.PeHeader::new);
        PeSymbols.CoffHeader coff = pe.coffHeader();
        long optAt = peAt + 24;
        int optLen = coff.lenOptionalHeader();
        if (optLen < OPTIONAL_HEADER64 + 4 * DATA_DIRECTORY) {
            throw InputFormatException.atOffset(source, peAt + 20, "a PE32+ optional header with an exception"
                    + " directory (at least " + (OPTIONAL_HEADER64 + 4 * DATA_DIRECTORY) + " bytes)", optLen + " bytes");
        }
        byte[] opt = captured(image, optAt, OPTIONAL_HEADER64 + 4 * DATA_DIRECTORY, "the optional header");
        int magic = FileRange.parse(source, opt, 0, optAt, "a PE32+ optional header (magic 0x20b)",
                "an optional header", PeSymbols.OptionalHeaderMagic::new).magic();
        if (magic != 0x20b) {
            throw InputFormatException.atOffset(source, optAt, "a PE32+ optional header (magic 0x20b)",
                    Hex.of(magic));
        }
        PeSymbols.OptionalHeader64 h = FileRange.parse(source, opt, 0, optAt, "a PE32+ optional header",
                "a PE32+ optional header", PeSymbols.OptionalHeader64::new);
        long fieldAt = optAt + OPTIONAL_HEADER64 + 3 * DATA_DIRECTORY;
        PeSymbols.DataDirectory exceptions = h.numDataDirectories() > 3 ? FileRange.parse(source, opt,
                OPTIONAL_HEADER64 + 3 * DATA_DIRECTORY, fieldAt, "a data directory", "a data directory",
                PeSymbols.DataDirectory::new) : null;
        long imageSize = h.lenImage();
        int machine = coff.machine();
        long stamp = coff.timeDateStamp();
        long bound = Math.min(imageSize, moduleSize);
        return new UnwindImage() {
            public String source() {
                return source;
            }

            public int machine() {
                return machine;
            }

            public long timeDateStamp() {
                return stamp;
            }

            public long sizeOfImage() {
                return imageSize;
            }

            public long exceptionRva() {
                return exceptions == null ? 0 : exceptions.rva();
            }

            public long exceptionLen() {
                return exceptions == null ? 0 : exceptions.len();
            }

            public long exceptionFieldAt() {
                return fieldAt;
            }

            public long position(long rva, long len) {
                return rva >= 0 && len >= 0 && rva <= bound && len <= bound - rva ? rva : -1;
            }

            public byte[] readUpTo(long rva, int max, String what) {
                return position(rva, 0) < 0 ? new byte[0] : image.read(rva, (int) Math.min(max, bound - rva));
            }

            public byte[] read(long position, long len, String what) {
                if (position(position, len) < 0 || len > Integer.MAX_VALUE) {
                    return null;
                }
                byte[] b = image.read(position, (int) len);
                return b.length == len ? b : null;
            }

            public long nextReadable(long position) {
                long next = image.nextCaptured(position);
                return next < 0 || next >= bound ? -1 : next;
            }

            public void close() {
            }
        };
    }

    /** The headers of a loaded image lie in its first page or so; e_lfanew beyond this is damage. */
    int MAX_HEADERS = 64 * 1024;
    int OPTIONAL_HEADER64 = 112;
    int DATA_DIRECTORY = 8;

    private static byte[] captured(LoadedImage image, long rva, int len, String what) {
        byte[] b = image.read(rva, len);
        if (b.length < len) {
            throw InputFormatException.atOffset(image.source(), rva + b.length, what + " (" + len + " bytes at RVA "
                    + Hex.of(rva) + ") in the dump's memory", "the dump did not capture it");
        }
        return b;
    }
}
