package org.leakscope.symbols.pdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.model.InputFormatException;
import org.leakscope.symbols.breakpad.SymbolData;
import org.leakscope.testing.Required;

/**
 * Damaged PDBs, generated from the corpus's x86 and OMAP PDBs: truncations, bit flips, absurd counts, sizes,
 * stream numbers and block indices in every structure the reader follows, and loops in the stream directory.
 * Each must give an {@link InputFormatException} (file, offset, expected, found) or a result with the damaged
 * module recorded in {@link PdbSymbols#problems()}; never another exception, under the test JVM's -Xmx256m.
 * The MSF layout is located here by a small parser of its own, not by the production code.
 */
class PdbMalformedTest {
    private static final long[] ABSURD = {0, 1, 0xFFFF, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFEL, 0xFFFF_FFFFL};

    @TempDir
    Path tmp;

    private int cases;
    private int refused;

    /** The MSF layout of a good file: block size, and each stream's (and the directory's) blocks. */
    static final class Layout {
        final int blockSize;
        final int[] directoryBlocks;
        final long[] sizes;
        final int[][] blocks;

        Layout(byte[] f) {
            ByteBuffer b = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
            blockSize = b.getInt(32);
            int dirBytes = b.getInt(44);
            int mapBlock = b.getInt(52);
            directoryBlocks = new int[(dirBytes + blockSize - 1) / blockSize];
            for (int i = 0; i < directoryBlocks.length; i++) {
                directoryBlocks[i] = b.getInt(mapBlock * blockSize + 4 * i);
            }
            int n = (int) dir(b, 0);
            sizes = new long[n];
            blocks = new int[n][];
            long at = 4 + 4L * n;
            for (int s = 0; s < n; s++) {
                sizes[s] = dir(b, 4 + 4L * s);
                int count = sizes[s] == 0xFFFF_FFFFL ? 0 : (int) ((sizes[s] + blockSize - 1) / blockSize);
                blocks[s] = new int[count];
                for (int i = 0; i < count; i++, at += 4) {
                    blocks[s][i] = (int) dir(b, at);
                }
            }
        }

        private long dir(ByteBuffer b, long offset) {
            return Integer.toUnsignedLong(b.getInt((int) directoryFileOffset(offset)));
        }

        long directoryFileOffset(long offset) {
            return (long) directoryBlocks[(int) (offset / blockSize)] * blockSize + offset % blockSize;
        }

        /** The file offset of byte {@code offset} of stream {@code s}. */
        long fileOffset(int s, long offset) {
            return (long) blocks[s][(int) (offset / blockSize)] * blockSize + offset % blockSize;
        }
    }

    private static void put32(byte[] f, long at, long v) {
        ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putInt((int) at, (int) v);
    }

    private static void put16(byte[] f, long at, long v) {
        ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putShort((int) at, (short) v);
    }

    private static int get16(byte[] f, long at) {
        return ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).getShort((int) at) & 0xFFFF;
    }

    private static long get32(byte[] f, long at) {
        return Integer.toUnsignedLong(ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).getInt((int) at));
    }

    /**
     * Opens and uses everything of the damaged file; returns the InputFormatException it gave, or null when it
     * read (recording damage as problems). Any other exception fails the test, naming the damage.
     */
    private InputFormatException exercise(byte[] f, String damage) throws IOException {
        Path p = tmp.resolve("damaged.pdb");
        Files.write(p, f);
        cases++;
        try (PdbSymbols s = PdbSymbols.open(p)) {
            s.identity();
            s.cpu();
            for (long rva = 0x1000; rva < 0x7000; rva += 0x3f1) {
                s.lookup(rva);
            }
            SymbolData d = s.toSymbolData();
            assertTrue(d.functions().size() >= 0);
            s.functions();
            s.problems();
            return null;
        } catch (InputFormatException e) {
            refused++;
            assertEquals(p.toString(), e.source(), damage);
            assertTrue(e.getMessage().contains("expected") && e.getMessage().contains("found"), e.getMessage());
            return e;
        } catch (Throwable t) {
            throw new AssertionError(damage + ": " + t, t);
        }
    }

    private byte[] corpus(String name) throws IOException {
        return Files.readAllBytes(Required.corpusFile("pdb/" + name));
    }

    @Test
    void truncatedFilesAreRefused() throws Exception {
        byte[] good = corpus("bp_dump_syms_regtest.pdb");
        List<Integer> lengths = new ArrayList<>(List.of(0, 1, 31, 32, 55, 56, 57, 1023, 1024, 1025, 2048));
        for (int n = 3000; n < good.length; n += 9973) {
            lengths.add(n);
        }
        lengths.add(good.length - 1);
        for (int n : lengths) {
            byte[] f = java.util.Arrays.copyOf(good, n);
            assertFalse(exercise(f, "truncated to " + n) == null, "truncated to " + n + " must be refused");
        }
    }

    @Test
    void absurdSuperblockAndDirectoryValuesAreRefusedOrRead() throws Exception {
        byte[] good = corpus("bp_dump_syms_regtest.pdb");
        Layout l = new Layout(good);
        for (int field = 32; field < 56; field += 4) {
            for (long v : ABSURD) {
                byte[] f = good.clone();
                put32(f, field, v);
                exercise(f, "superblock field at " + field + " = " + v);
            }
        }
        // the stream count, each stream size, and block indices
        for (long v : ABSURD) {
            byte[] f = good.clone();
            put32(f, l.directoryFileOffset(0), v);
            exercise(f, "stream count " + v);
        }
        for (int s = 0; s < l.sizes.length; s += 5) {
            for (long v : new long[] {0x7FFF_FFFFL, 0xFFFF_FFFEL, 1, 0xFFFF_FFFFL}) {
                byte[] f = good.clone();
                put32(f, l.directoryFileOffset(4 + 4L * s), v);
                exercise(f, "size of stream " + s + " = " + v);
            }
        }
        long firstBlockList = 4 + 4L * l.sizes.length;
        for (long i = 0; i < 20; i++) {
            for (long v : new long[] {0, good.length / l.blockSize, 0xFFFF_FFFFL, l.directoryBlocks[0]}) {
                byte[] f = good.clone();
                put32(f, l.directoryFileOffset(firstBlockList + 4 * i * 7), v);
                exercise(f, "block index " + i + " = " + v);
            }
        }
    }

    @Test
    void directoryLoopsAndCountsGiveClearErrors() throws Exception {
        byte[] good = corpus("bp_dump_syms_regtest.pdb");
        Layout l = new Layout(good);
        int mapBlock = (int) get32(good, 52);
        // the directory's second block listed as its first: a loop back into itself
        byte[] f = good.clone();
        put32(f, (long) mapBlock * l.blockSize + 4, l.directoryBlocks[0]);
        InputFormatException e = exercise(f, "directory block listed twice");
        assertTrue(e.getMessage().contains("listed twice"), e.getMessage());
        assertEquals((long) mapBlock * l.blockSize + 4, e.offset());
        // the block map pointing at the superblock
        f = good.clone();
        put32(f, 52, 0);
        e = exercise(f, "block map at block 0");
        assertEquals(52, e.offset());
        assertTrue(e.getMessage().contains("block-map block index in 1.."), e.getMessage());
        // a stream count the directory cannot hold
        f = good.clone();
        put32(f, l.directoryFileOffset(0), 0x4000_0000L);
        e = exercise(f, "stream count");
        assertEquals(l.directoryFileOffset(0), e.offset());
        assertTrue(e.getMessage().contains("found 1073741824"), e.getMessage());
        // every stream's blocks pointing at the same block: reads stay bounded
        f = good.clone();
        for (long i = 4 + 4L * l.sizes.length; i < l.sizes.length * 4L + 4 + 600; i += 4) {
            put32(f, l.directoryFileOffset(i), l.blocks[3][0]);
        }
        exercise(f, "all blocks the same");
        // MSF 2.00 and foreign files
        f = good.clone();
        System.arraycopy("Microsoft C/C++ program database 2.00\r\n".getBytes(), 0, f, 0, 39);
        e = exercise(f, "MSF 2.00");
        assertTrue(e.getMessage().contains("unsupported"), e.getMessage());
    }

    /** Open reads the directory only: a damaged DBI stream shows when something needs it, with its offset. */
    @Test
    void openIsLazyAndDbiDamageNamesItsOffset() throws Exception {
        byte[] good = corpus("bp_dump_syms_regtest.pdb");
        Layout l = new Layout(good);
        byte[] f = good.clone();
        put32(f, l.fileOffset(DbiStream.STREAM, 0), 0x12345678);
        Path p = tmp.resolve("dbi.pdb");
        Files.write(p, f);
        try (PdbSymbols s = PdbSymbols.open(p)) {
            InputFormatException e = assertThrows(InputFormatException.class, s::identity);
            assertEquals(l.fileOffset(DbiStream.STREAM, 0), e.offset());
            assertTrue(e.getMessage().contains("expected the DBI signature 0xFFFFFFFF"), e.getMessage());
            assertTrue(e.getMessage().contains("found 12345678"), e.getMessage());
        }
    }

    @Test
    void absurdDbiAndModuleValuesAreRefusedOrRecorded() throws Exception {
        byte[] good = corpus("bp_dump_syms_regtest.pdb");
        Layout l = new Layout(good);
        for (int at = 0; at < DbiStream.HEADER; at += 2) {
            for (long v : new long[] {0, 0xFFFF, 0x7FFF, 0x1234}) {
                byte[] f = good.clone();
                put16(f, l.fileOffset(DbiStream.STREAM, at), v);
                exercise(f, "DBI header u16 at " + at + " = " + v);
            }
        }
        for (int at = 24; at < 56; at += 4) {
            for (long v : ABSURD) {
                byte[] f = good.clone();
                put32(f, l.fileOffset(DbiStream.STREAM, at), v);
                exercise(f, "DBI substream size at " + at + " = " + v);
            }
        }
        // the first modules' fixed fields: stream number, symbol and line sizes
        long at = DbiStream.HEADER;
        for (int m = 0; m < 4; m++) {
            for (int field = 32; field < 64; field += 2) {
                for (long v : new long[] {0xFFFF, 0xFFFE, 2, 0}) {
                    byte[] f = good.clone();
                    put16(f, l.fileOffset(DbiStream.STREAM, at + field), v);
                    exercise(f, "module " + m + " field " + field + " = " + v);
                }
            }
            // to the next record: 64 fixed bytes, two strings, 4-byte alignment
            long p = at + 64;
            for (int z = 0; z < 2; z++) {
                while (good[(int) l.fileOffset(DbiStream.STREAM, p)] != 0) {
                    p++;
                }
                p++;
            }
            at = (p + 3) / 4 * 4;
        }
    }

    @Test
    void damagedSymbolRecordsAndLineTablesAreRecordedPerModule() throws Exception {
        byte[] good = corpus("bp_dump_syms_regtest.pdb");
        Layout l = new Layout(good);
        Random random = new Random(15);
        // the module stream of main(): dump_syms_regtest.obj is module 0
        int module = get16(good, l.fileOffset(DbiStream.STREAM, DbiStream.HEADER + 34));
        long symbols = get32(good, l.fileOffset(DbiStream.STREAM, DbiStream.HEADER + 36));
        // a record length running past the symbols: the module is recorded, the rest still read
        byte[] f = good.clone();
        put16(f, l.fileOffset(module, 4), 0xFFF0);
        Path p = tmp.resolve("one-module.pdb");
        Files.write(p, f);
        try (PdbSymbols s = PdbSymbols.open(p)) {
            SymbolData d = s.toSymbolData();
            assertEquals(1, s.problems().size(), s.problems().toString());
            assertTrue(s.problems().get(0).message().contains("symbol record length"), s.problems().toString());
            // the 9 functions of dump_syms_regtest.obj (main, google_breakpad::C's members, i) are missing
            assertEquals(158 - 9, d.functions().size());
            assertTrue(d.functions().stream().noneMatch(fn -> fn.address() == 0x1000));
        }
        // random values at random places of the module's symbols and C13 subsections
        for (int n = 0; n < 150; n++) {
            f = good.clone();
            long off = random.nextLong(l.sizes[module] - 4);
            long v = ABSURD[random.nextInt(ABSURD.length)];
            if (random.nextBoolean()) {
                put16(f, l.fileOffset(module, off), v);
            } else if (off / l.blockSize == (off + 3) / l.blockSize) {
                put32(f, l.fileOffset(module, off), v);
            }
            exercise(f, "module stream offset " + off + " (symbols " + symbols + ") = " + v);
        }
        // the publics' record stream, the PDB info stream and /names
        int records = get16(good, l.fileOffset(DbiStream.STREAM, 20));
        f = good.clone();
        put16(f, l.fileOffset(records, 0), 0xFFF0); // the first record's length runs past the stream
        Files.write(p, f);
        try (PdbSymbols s = PdbSymbols.open(p)) {
            assertEquals("main", s.lookup(0x1000).orElseThrow().function()); // functions still found
            SymbolData d = s.toSymbolData();
            assertEquals(158, d.functions().size());
            assertEquals(0, d.publics().size());
            assertEquals(1, s.problems().size(), s.problems().toString());
            assertTrue(s.problems().get(0).message().contains("stream " + records), s.problems().toString());
        }
        for (int n = 0; n < 80; n++) {
            f = good.clone();
            long off = random.nextLong(l.sizes[records] - 2);
            put16(f, l.fileOffset(records, off), ABSURD[random.nextInt(ABSURD.length)]);
            exercise(f, "symbol records offset " + off);
        }
        for (int at = 0; at + 4 <= l.sizes[1]; at += 2) {
            for (long v : new long[] {0xFFFF_FFFFL, 0x7FFF_FFFFL, 0}) {
                f = good.clone();
                if ((at & 3) == 0) {
                    put32(f, l.fileOffset(1, at), v);
                } else {
                    put16(f, l.fileOffset(1, at), v);
                }
                exercise(f, "PDB info offset " + at + " = " + v);
            }
        }
    }

    @Test
    void damagedOmapAndSectionHeadersAreRefusedOrRead() throws Exception {
        byte[] good = corpus("bp_omap_reorder_funcs.pdb");
        Layout l = new Layout(good);
        Random random = new Random(15);
        for (int s : new int[] {9, 121, 122}) { // section headers, OMAP to and from source
            for (int n = 0; n < 30; n++) {
                byte[] f = good.clone();
                long off = random.nextLong(l.sizes[s] - 4) & ~3;
                put32(f, l.fileOffset(s, off), ABSURD[random.nextInt(ABSURD.length)]);
                exercise(f, "stream " + s + " offset " + off);
            }
        }
        // OMAP out of order: refused with the entry's offset
        byte[] f = good.clone();
        put32(f, l.fileOffset(122, 8), 0xFFFF_FF00L);
        InputFormatException e = exercise(f, "OMAP unsorted");
        assertTrue(e.getMessage().contains("OMAP entries sorted"), e.getMessage());
        assertEquals(l.fileOffset(122, 16), e.offset());
    }

    @Test
    void randomBitFlipsNeverEscape() throws Exception {
        byte[] good = corpus("bp_dump_syms_regtest64.pdb");
        Random random = new Random(1515);
        for (int n = 0; n < 200; n++) {
            byte[] f = good.clone();
            for (int k = 0; k < 1 + random.nextInt(4); k++) {
                int at = random.nextInt(f.length);
                f[at] ^= (byte) (1 << random.nextInt(8));
            }
            exercise(f, "bit flips, case " + n);
        }
        System.out.printf("PdbMalformedTest bit flips: %d damaged files, %d refused%n", cases, refused);
        if (cases == 0) {
            fail("nothing ran");
        }
    }
}
