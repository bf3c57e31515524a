package org.leakscope.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.model.InputFormatException;

/**
 * Damaged PE files, generated: each gives an {@link InputFormatException} naming the file and the offset of
 * the field at fault, or a result with fewer (or no) symbols and a recorded problem; never another exception,
 * and never an allocation sized by a count the file cannot hold.
 */
class PeSymbolFileMalformedTest {
    private static final int PE = PeImageBuilder.PE_AT;
    private static final int NUM_SECTIONS = PE + 6;
    private static final int POINTER_TO_SYMBOL_TABLE = PE + 12;
    private static final int NUMBER_OF_SYMBOLS = PE + 16;
    private static final int SIZE_OF_OPTIONAL_HEADER = PE + 20;
    private static final int OPTIONAL = PE + 24;
    private static final int EXPORT_DIRECTORY_ENTRY = OPTIONAL + 112; // PE32+
    private static final int SECTIONS = OPTIONAL + 112 + 16 * 8;

    @TempDir
    Path tmp;

    private Path write(byte[] b) throws IOException {
        Path p = tmp.resolve("damaged.exe");
        Files.write(p, b);
        return p;
    }

    private InputFormatException fails(byte[] b, long offset) throws IOException {
        Path p = write(b);
        InputFormatException e = assertThrows(InputFormatException.class, () -> PeSymbolFile.open(p));
        assertEquals(p.toString(), e.source());
        assertTrue(e.getMessage().startsWith(p.toString() + ": at byte offset " + offset + " "), e.getMessage());
        assertEquals(offset, e.offset());
        return e;
    }

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** COFF symbols and exports both, so damage anywhere has something to hit. */
    private static byte[] good() {
        return goodBuilder().build();
    }

    private static PeImageBuilder goodBuilder() {
        return PeImageBuilder.pe32Plus()
                .section(".text", 0x1000, 0x300, PeImageBuilder.CODE)
                .section(".data", 0x2000, 0x100, PeImageBuilder.DATA)
                .symbol(".text", 0, 1, 0, 3, new byte[18])
                .symbol("main", 0x10, 1, 0x20, 2, PeImageBuilder.trapAux())
                .function("leak_small", 1, 0x40, true)
                .function("helper_static_function", 1, 0x80, false)
                .export("InstallResMon", 0x1100)
                .export("ResMonTableAddress", 0x2000)
                .forwarder("HeapAlloc", "NTDLL.RtlAllocateHeap");
    }

    /** File offset of the export directory in {@link #good()}'s layout (.edata is the third section). */
    private static int exportDirectoryAt(byte[] b) {
        return le(b).getInt(SECTIONS + 2 * 40 + 20);
    }

    @Test
    void aTwoHundredByteFileClaimingFourBillionSymbols() throws IOException {
        byte[] b = new byte[200];
        ByteBuffer f = le(b);
        f.put(0, (byte) 'M').put(1, (byte) 'Z').putInt(0x3c, 64);
        f.put(64, (byte) 'P').put(65, (byte) 'E');
        f.putShort(68, (short) 0x8664).putShort(70, (short) 0).putInt(76, 100).putInt(80, -1).putShort(84, (short) 112);
        f.putShort(88, (short) 0x20b); // a PE32+ optional header filling the file, no data directories
        InputFormatException e = fails(b, 64 + 12); // PointerToSymbolTable
        assertTrue(e.getMessage().contains("4294967295 COFF symbols"), e.getMessage());

        le(b).putInt(76, 0); // no table at all: the count means nothing
        PeSymbolFile f0 = PeSymbolFile.open(write(b));
        assertEquals(0, f0.functions());
    }

    @Test
    void eLfanewOutsideTheFile() throws IOException {
        byte[] b = good();
        le(b).putInt(0x3c, 0xFFFF_FFF0);
        fails(b, 0x3c);
        le(b).putInt(0x3c, b.length - 10);
        fails(b, 0x3c);
        le(b).putInt(0x3c, 0x7FFF_FFFF);
        fails(b, 0x3c);
    }

    @Test
    void headerDamage() throws IOException {
        fails(new byte[] {'M', 'Z'}, 0);
        fails(new byte[0], 0);
        byte[] notMz = good();
        notMz[1] = 'X';
        fails(notMz, 0);

        byte[] sig = good();
        sig[PE + 1] = 'X';
        fails(sig, PE);

        byte[] magic = good();
        le(magic).putShort(OPTIONAL, (short) 0x107); // a ROM image
        fails(magic, OPTIONAL);

        byte[] shortOptional = good();
        le(shortOptional).putShort(SIZE_OF_OPTIONAL_HEADER, (short) 100); // PE32+ needs 112
        fails(shortOptional, SIZE_OF_OPTIONAL_HEADER);

        byte[] objectFile = good();
        le(objectFile).putShort(SIZE_OF_OPTIONAL_HEADER, (short) 0);
        fails(objectFile, SIZE_OF_OPTIONAL_HEADER);

        byte[] sections = good();
        le(sections).putShort(NUM_SECTIONS, (short) 0xFFFF); // 2.6 MB of headers in a 4 KB file
        fails(sections, SECTIONS);
    }

    @Test
    void symbolTableDamage() throws IOException {
        byte[] b = good();
        int table = le(b).getInt(POINTER_TO_SYMBOL_TABLE);
        int count = le(b).getInt(NUMBER_OF_SYMBOLS);

        byte[] absurd = b.clone();
        le(absurd).putInt(NUMBER_OF_SYMBOLS, 0x7FFF_FFFF);
        fails(absurd, POINTER_TO_SYMBOL_TABLE);

        byte[] past = b.clone();
        le(past).putInt(POINTER_TO_SYMBOL_TABLE, b.length + 18);
        fails(past, POINTER_TO_SYMBOL_TABLE);

        byte[] strings = b.clone();
        le(strings).putInt(table + count * 18, 0x4000_0000);
        fails(strings, table + count * 18);

        // the string table missing entirely (the file ends after the symbols): short names are still read
        byte[] cut = Arrays.copyOf(b, table + count * 18);
        PeSymbolFile f = PeSymbolFile.open(write(cut));
        assertEquals("main", f.lookup(0x1010).orElseThrow().function());
        assertTrue(f.lookup(0x1040).isEmpty() || !f.lookup(0x1040).get().function().equals("leak_small"));
        assertEquals(1, f.problems().size(), f.problems().toString());
    }

    @Test
    void damagedRecordsAreSkippedAndCounted() throws IOException {
        byte[] b = good();
        int table = le(b).getInt(POINTER_TO_SYMBOL_TABLE);
        // records: 0 .text, 1 its aux, 2 main, 3 its aux, 4 leak_small (long name), 5 helper_static_function
        le(b).putInt(table + 4 * 18 + 4, 0x7fff_0000); // leak_small's name offset past the string table
        le(b).putInt(table + 5 * 18 + 8, 0x5000); // helper's value past .text's end
        PeSymbolFile f = PeSymbolFile.open(write(b));
        assertEquals("main", f.lookup(0x1040).orElseThrow().function()); // main now runs on
        assertEquals(1, f.problems().size());
        assertTrue(f.problems().get(0).message().contains("2 that are not"), f.problems().toString());
        assertEquals(Long.valueOf(table + 4 * 18), f.problems().get(0).offset());

        byte[] section = good();
        le(section).putShort(table + 2 * 18 + 12, (short) 40); // main in section 40 of 3
        PeSymbolFile g = PeSymbolFile.open(write(section));
        assertTrue(g.lookup(0x1010).isEmpty());
        assertEquals(1, g.problems().size());

        byte[] aux = good();
        aux[table + 5 * 18 + 17] = (byte) 255; // the last symbol claims 255 aux records past the table
        assertEquals(4, PeSymbolFile.open(write(aux)).functions()); // 3 COFF + 1 export: the overrun is harmless
    }

    @Test
    void exportDamageIsAProblemAndTheCoffNamesStay() throws IOException {
        byte[] b = good();
        int dir = exportDirectoryAt(b);

        byte[] names = b.clone();
        le(names).putInt(dir + 24, 0x7FFF_FFFF); // NumberOfNames
        PeSymbolFile f = PeSymbolFile.open(write(names));
        assertEquals(3, f.functions());
        assertEquals(1, f.problems().size());
        assertEquals(Long.valueOf(dir + 32), f.problems().get(0).offset()); // AddressOfNames
        assertTrue(f.problems().get(0).message().startsWith(tmp.resolve("damaged.exe") + ": "));

        byte[] functions = b.clone();
        le(functions).putInt(dir + 20, 0xFFFF_FFFF); // NumberOfFunctions
        assertEquals(Long.valueOf(dir + 28), PeSymbolFile.open(write(functions)).problems().get(0).offset());

        byte[] where = b.clone();
        le(where).putInt(EXPORT_DIRECTORY_ENTRY, 0x0900_0000); // the directory's RVA in no section
        PeSymbolFile g = PeSymbolFile.open(write(where));
        assertEquals(3, g.functions());
        assertEquals(Long.valueOf(EXPORT_DIRECTORY_ENTRY), g.problems().get(0).offset());

        byte[] ordinal = b.clone();
        int ordinals = le(b).getInt(dir + 36) - 0x3000 + dir; // .edata's RVA is 0x3000, its data at dir
        for (int i = 0; i < 3; i++) {
            le(ordinal).putShort(ordinals + 2 * i, (short) 0x7000);
        }
        PeSymbolFile h = PeSymbolFile.open(write(ordinal));
        assertEquals(3, h.functions());
        assertTrue(h.problems().get(0).message().contains("3 exports"), h.problems().toString());
    }

    @Test
    void exportsOnlyAndDamagedIsNoSymbolsWithAProblem() throws IOException {
        byte[] b = PeImageBuilder.pe32Plus()
                .section(".text", 0x1000, 0x300, PeImageBuilder.CODE)
                .export("Alpha", 0x1000)
                .build();
        int dir = le(b).getInt(SECTIONS + 40 + 20);
        le(b).putInt(dir + 32, 0x0900_0000); // AddressOfNames in no section
        PeSymbolFile f = PeSymbolFile.open(write(b));
        assertEquals(0, f.functions());
        assertTrue(f.lookup(0x1000).isEmpty());
        assertEquals(1, f.problems().size());
    }

    /**
     * Every prefix ending in the headers, the export data or the symbol tables, and every 16th one in between
     * (section bytes no reader looks at): an error at a real offset, or fewer symbols.
     */
    @Test
    void everyTruncation() throws IOException {
        byte[] b = good();
        int table = le(b).getInt(POINTER_TO_SYMBOL_TABLE);
        int dir = exportDirectoryAt(b);
        List<Integer> opened = new java.util.ArrayList<>();
        for (int len = 0; len < b.length; len++) {
            boolean structure = len < 0x400 || (len >= dir && len < dir + 0x100) || len >= table;
            if (structure || len % 16 == 0) {
                if (check(Arrays.copyOf(b, len), "truncated to " + len, true)) {
                    opened.add(len);
                }
            }
        }
        // a cut inside the string table is an error; one right after the symbols, or inside the string table's
        // 4-byte length, leaves no string table: the long names are lost (a recorded problem), the short one stays
        int strings = table + 6 * 18;
        assertEquals(List.of(strings, strings + 1, strings + 2, strings + 3), opened);
    }

    /** Bit flips and absurd 32-bit values, mostly in the headers and tables where they matter. */
    @Test
    void bitFlipsAndAbsurdValues() throws IOException {
        byte[] good = good();
        int table = le(good).getInt(POINTER_TO_SYMBOL_TABLE);
        int dir = exportDirectoryAt(good);
        int[][] hot = {{0, 0x40}, {PE, SECTIONS + 3 * 40}, {table, good.length}, {dir, dir + 120}};
        Random rnd = new Random(6);
        int[] outcomes = new int[2];
        int[] absurd = {0, 1, -1, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFF0, good.length, good.length - 1, 0x1000};
        for (int i = 0; i < 4000; i++) {
            byte[] b = good.clone();
            int[] region = i % 5 == 4 ? new int[] {0, good.length} : hot[rnd.nextInt(hot.length)];
            for (int k = 0; k <= i % 4; k++) {
                int at = region[0] + rnd.nextInt(region[1] - region[0]);
                if (i % 2 == 0) {
                    b[at] ^= (byte) (1 << rnd.nextInt(8));
                } else if (at + 4 <= b.length) {
                    le(b).putInt(at & ~1, absurd[rnd.nextInt(absurd.length)]);
                }
            }
            outcomes[check(b, "damage #" + i, false) ? 1 : 0]++;
        }
        // both happen: damage in what is read is refused or skipped, flips in other bytes are harmless
        assertTrue(outcomes[0] > 200 && outcomes[1] > 2000, outcomes[0] + " refused, " + outcomes[1] + " opened");
    }

    /** good() with a CodeView record, whose damage costs the debug id and is recorded, never the names. */
    @Test
    void debugDirectoryDamageIsAProblemAndTheNamesStay() throws IOException {
        byte[] guid = new byte[16];
        Arrays.fill(guid, (byte) 0x5e);
        PeImageBuilder builder = goodBuilder().rsds(guid, 1);
        byte[] b = builder.build();
        int dirEntry = OPTIONAL + 112 + 6 * 8;
        assertEquals(builder.debugDirectoryRva(), le(b).getInt(dirEntry));
        PeSymbolFile f = PeSymbolFile.open(write(b));
        assertEquals("5E5E5E5E5E5E5E5E5E5E5E5E5E5E5E5E1", f.debugId());
        assertEquals(4, f.functions());
        int entry = le(b).getInt(SECTIONS + 2 * 40 + 20); // .buildid is the third section, the entry at its start

        byte[] nowhere = b.clone();
        le(nowhere).putInt(dirEntry, 0x0900_0000); // the directory's RVA in no section
        assertDamage(nowhere, dirEntry);
        byte[] huge = b.clone();
        le(huge).putInt(entry + 16, 0x7fff_ffff); // SizeOfData
        assertDamage(huge, entry + 16);
        byte[] past = b.clone();
        le(past).putInt(entry + 24, b.length - 8); // PointerToRawData: the record runs past the end of the file
        assertDamage(past, b.length - 8);
        byte[] shortRecord = b.clone();
        le(shortRecord).putInt(entry + 16, 12); // "RSDS" and 8 bytes of the GUID
        assertDamage(shortRecord, le(b).getInt(entry + 24));

        byte[] unknown = b.clone();
        unknown[le(b).getInt(entry + 24)] = 'X'; // "XSDS": a CodeView format this reader does not know
        PeSymbolFile u = PeSymbolFile.open(write(unknown));
        assertEquals(null, u.debugId());
        assertEquals(List.of(), u.problems());
    }

    private void assertDamage(byte[] b, long offset) throws IOException {
        PeSymbolFile f = PeSymbolFile.open(write(b));
        assertEquals(null, f.debugId());
        assertEquals(4, f.functions());
        assertEquals("main", f.lookup(0x1010).orElseThrow().function());
        assertEquals(1, f.problems().size(), f.problems().toString());
        assertEquals(Long.valueOf(offset), f.problems().get(0).offset(), f.problems().toString());
    }

    /** The functions of {@link #good()} by start RVA: main, two more COFF functions, one exported. */
    private static final Map<Long, String> GOOD = Map.of(0x1010L, "main", 0x1040L, "leak_small", 0x1080L,
            "helper_static_function", 0x1100L, "InstallResMon");

    /**
     * Opens damaged bytes: an error naming the file and an offset, or a file whose every lookup is consistent
     * (the function holding an RVA starts where its offset says, under the same name). A truncated copy never
     * gains a function or moves one, and one it lost is a recorded problem. True when the file opened.
     */
    private boolean check(byte[] b, String what, boolean truncated) throws IOException {
        Path p = write(b);
        try {
            PeSymbolFile f = PeSymbolFile.open(p);
            for (long rva = 0; rva < 0x4000; rva += 0x10) {
                Optional<SymbolHit> hit = f.lookup(rva);
                if (hit.isEmpty()) {
                    continue;
                }
                long start = rva - hit.get().functionOffset();
                assertEquals(new SymbolHit(hit.get().function(), 0, null, null), f.lookup(start).orElseThrow(),
                        what + ": the start of the function at 0x" + Long.toHexString(rva));
                if (truncated) {
                    assertEquals(GOOD.get(start), hit.get().function(), what + ": at 0x" + Long.toHexString(rva));
                }
            }
            if (truncated) {
                assertTrue(f.functions() <= GOOD.size(), what + ": " + f.functions() + " functions");
                assertTrue(f.functions() == GOOD.size() || !f.problems().isEmpty(), what + ": " + f.functions()
                        + " functions and no problem recorded");
            }
            return true;
        } catch (InputFormatException e) {
            assertTrue(e.getMessage().startsWith(p + ": at byte offset "), what + ": " + e.getMessage());
            assertTrue(e.offset() >= 0 && e.offset() <= b.length, what);
            return false;
        } catch (RuntimeException | OutOfMemoryError e) {
            fail(what + ": " + e, e);
            return false;
        }
    }
}
