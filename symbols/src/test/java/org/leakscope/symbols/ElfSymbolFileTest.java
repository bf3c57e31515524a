package org.leakscope.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.model.InputFormatException;

/**
 * ELF symbolization against the system's own libc (as nm reads it), and generated damage on a real ELF file.
 * Skipped with a message where there is no libc.so.6 or no nm (not Linux, or no binutils).
 */
class ElfSymbolFileTest {
    private static final Path LIBC = Path.of("/lib/x86_64-linux-gnu/libc.so.6");

    @TempDir
    Path tmp;

    /** {offset from the lowest PT_LOAD address (0 for libc), name} of libc's exported functions, from nm. */
    private static List<Object[]> nm(Path elf) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("nm", "-D", "--defined-only", elf.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "nm is not installed (binutils); skipping");
            return List.of();
        }
        List<Object[]> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 3 && (f[1].equals("T") || f[1].equals("t"))) {
                    out.add(new Object[] {Long.parseLong(f[0], 16), f[2].split("@")[0]}); // malloc@@GLIBC_2.2.5
                }
            }
        }
        p.waitFor();
        return out;
    }

    @Test
    void libcFunctionsAsNmSeesThem() throws Exception {
        assumeTrue(Files.isRegularFile(LIBC), LIBC + " is absent (not x86-64 Debian/Ubuntu); skipping");
        List<Object[]> fns = nm(LIBC);
        assumeTrue(!fns.isEmpty(), "nm listed no functions; skipping");
        ElfSymbolFile f = ElfSymbolFile.open(LIBC);
        assertTrue(f.functions() > 1000, "libc names " + f.functions() + " functions");
        int checked = 0;
        for (Object[] fn : fns) {
            long addr = (Long) fn[0];
            Optional<SymbolHit> hit = f.lookup(addr);
            assertTrue(hit.isPresent(), "nothing at " + Long.toHexString(addr) + " (" + fn[1] + ")");
            assertEquals(0, hit.get().functionOffset());
            checked++;
        }
        assertTrue(checked > 1000);
        Object[] malloc = fns.stream().filter(x -> x[1].equals("malloc")).findFirst().orElseThrow();
        // aliases share an address (malloc and __libc_malloc): any of the names is right, at offset 0x10
        String name = f.lookup((Long) malloc[0] + 0x10).orElseThrow().function();
        assertTrue(name.contains("malloc"), name);
    }

    @Test
    void damagedElfFilesGiveTheDocumentedErrorOnly() throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        assumeTrue(ElfSymbolFile.isElf(java), java + " is not an ELF file here; skipping");
        byte[] good = Files.readAllBytes(java);
        Random rnd = new Random(11);
        Path p = tmp.resolve("damaged");
        for (int i = 0; i < 600; i++) {
            byte[] b = i < 200 ? Arrays.copyOf(good, rnd.nextInt(good.length)) : good.clone();
            if (i >= 200) {
                for (int k = 0; k <= i % 10; k++) {
                    // the headers are where damage matters: flip mostly there
                    int at = rnd.nextInt(i % 2 == 0 ? Math.min(good.length, 128) : good.length);
                    b[at] ^= (byte) (1 << rnd.nextInt(8));
                }
            }
            Files.write(p, b);
            try {
                ElfSymbolFile.open(p).lookup(0x1000);
            } catch (InputFormatException e) {
                assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
            }
        }
    }
}
