package org.leakscope.symbols.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.model.InputFormatException;
import org.leakscope.testing.Required;

/** Cabinets as symbol servers serve PDBs ({@code app.pd_}): MSZIP across blocks, refusals by name, damage. */
class CabReaderTest {
    @TempDir
    Path tmp;

    /**
     * 100 KiB in 4 blocks whose later blocks repeat text of the earlier ones: deflate refers back across the
     * block boundary, so a reader that does not prime each block with the previous one fails.
     */
    static byte[] sample() {
        byte[] random = new byte[20000];
        new Random(15).nextBytes(random);
        byte[] text = "LeakyCache::Insert(Key const &, Value &&) ".repeat(800).getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[100_000];
        for (int i = 0; i < out.length; i++) {
            out[i] = i % 40000 < 20000 ? random[i % 20000] : text[i % text.length];
        }
        return out;
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(tmp.resolve(name), bytes);
    }

    @Test
    void mszipAcrossBlocksDecompressesToTheOriginal() throws IOException {
        byte[] data = sample();
        Path cab = write("app.pd_", CabWriter.mszip(data, "app.pdb"));
        Path out = tmp.resolve("app.pdb");
        CabReader.extract(cab, out, 1 << 20);
        assertArrayEquals(data, Files.readAllBytes(out));
    }

    @Test
    void uncompressedFoldersAreCopied() throws IOException {
        byte[] data = Arrays.copyOf(sample(), 70000);
        Path out = tmp.resolve("app.pdb");
        CabReader.extract(write("app.pd_", CabWriter.cab(data, "app.pdb", CabWriter.NONE)), out, 1 << 20);
        assertArrayEquals(data, Files.readAllBytes(out));
    }

    @Test
    void lzxAndQuantumAreRefusedByName() throws IOException {
        Path lzx = write("lzx.pd_", CabWriter.cab(new byte[10], "a.pdb", CabWriter.LZX));
        InputFormatException e = assertThrows(InputFormatException.class,
                () -> CabReader.extract(lzx, tmp.resolve("a"), 1 << 20));
        assertEquals("compressed with LZX, which Leakscope does not read", e.found());
        assertEquals(Long.valueOf(36 + 6), e.offset());
        Path q = write("q.pd_", CabWriter.cab(new byte[10], "a.pdb", CabWriter.QUANTUM));
        assertEquals("compressed with Quantum, which Leakscope does not read", assertThrows(
                InputFormatException.class, () -> CabReader.extract(q, tmp.resolve("a"), 1 << 20)).found());
    }

    @Test
    void aFileLargerThanTheLimitIsRefusedBeforeAnythingIsWritten() throws IOException {
        Path cab = write("app.pd_", CabWriter.mszip(sample(), "app.pdb"));
        Path out = tmp.resolve("app.pdb");
        InputFormatException e = assertThrows(InputFormatException.class, () -> CabReader.extract(cab, out, 99_999));
        assertEquals("100000 bytes", e.found());
        assertTrue(Files.notExists(out));
    }

    @Test
    void damageIsAnErrorWithItsOffset() throws IOException {
        byte[] good = CabWriter.mszip(sample(), "app.pdb");
        Path truncated = write("t.pd_", Arrays.copyOf(good, good.length - 100));
        InputFormatException t = assertThrows(InputFormatException.class,
                () -> CabReader.extract(truncated, tmp.resolve("o1"), 1 << 20));
        assertTrue(t.getMessage().contains("the end of the cabinet"), t.getMessage());
        byte[] flipped = good.clone();
        flipped[0] = 'X';
        assertEquals("the cabinet signature MSCF", assertThrows(InputFormatException.class,
                () -> CabReader.extract(write("f.pd_", flipped), tmp.resolve("o2"), 1 << 20)).expected());
        byte[] noCk = good.clone();
        int firstBlock = 36 + 8 + 16 + "app.pdb\0".length() + 8;
        noCk[firstBlock] = 'X';
        assertEquals(Long.valueOf(firstBlock), assertThrows(InputFormatException.class,
                () -> CabReader.extract(write("k.pd_", noCk), tmp.resolve("o3"), 1 << 20)).offset());
        byte[] absurd = good.clone();
        absurd[36 + 8 + 4] = (byte) 0xff; // the file starts far past what the folder holds
        absurd[36 + 8 + 7] = (byte) 0x7f;
        assertThrows(InputFormatException.class,
                () -> CabReader.extract(write("a.pd_", absurd), tmp.resolve("o4"), 1 << 20));
    }

    /** A cabinet made by another implementation (gcab, GNOME's) decompresses to the same bytes. */
    @Test
    void aCabinetMadeByGcabDecompresses() throws IOException, InterruptedException {
        Required.that(runs("gcab", "--version"), "gcab is not installed (apt-get install gcab)");
        byte[] data = sample();
        Path in = write("app.pdb", data);
        Path cab = tmp.resolve("app.pd_");
        assertTrue(runs("gcab", "-c", "-z", "-n", cab.toString(), in.toString()), "gcab -c -z failed");
        Path out = tmp.resolve("out.pdb");
        CabReader.extract(cab, out, 1 << 20);
        assertArrayEquals(data, Files.readAllBytes(out));
    }

    private static boolean runs(String... cmd) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
