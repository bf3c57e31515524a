package org.leakscope.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.model.InputFormatException;

/**
 * ELF symbolization against the system's own libc (names and addresses as nm reads them), the identity of
 * libraries gcc builds here (build id, Breakpad's debug id, loaded size, as readelf reads them), and generated
 * damage on a real ELF file. Without libc.so.6, nm, readelf or gcc the tests are skipped with a message, and
 * fail under CI ({@link Tools}).
 */
class ElfSymbolFileTest {
    private static final Path LIBC = Path.of("/lib/x86_64-linux-gnu/libc.so.6");
    static final String SOURCE = """
            int plant_a(int x) { return x * 3 + 1; }
            int plant_b(int x) { return plant_a(x) + 2; }
            """;

    @TempDir
    Path tmp;

    /**
     * Offset from the lowest PT_LOAD address (0 for libc) of each text symbol (T, t) nm lists → every name nm
     * gives that address (aliases: weak ones like strfromf32x beside strfromd, too).
     */
    private static Map<Long, Set<String>> nm(Path elf) {
        Tools.require("nm", "binutils");
        Map<Long, Set<String>> names = new HashMap<>();
        Set<Long> text = new HashSet<>();
        for (String line : Tools.run(List.of("nm", "-D", "--defined-only", elf.toString())).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3) {
                long at = Long.parseLong(f[0], 16);
                // malloc@@GLIBC_2.2.5: .dynsym holds the bare name, the version is in .gnu.version
                names.computeIfAbsent(at, k -> new HashSet<>()).add(f[2].split("@")[0]);
                if (f[1].equals("T") || f[1].equals("t")) {
                    text.add(at);
                }
            }
        }
        names.keySet().retainAll(text);
        return names;
    }

    /** A shared object gcc builds from {@link #SOURCE} with these linker options (a build id, or none). */
    static Path library(Path dir, String name, String buildIdOption) throws IOException {
        Tools.require("gcc", "apt-get install gcc");
        Path c = dir.resolve("plant.c");
        Files.writeString(c, SOURCE);
        Path so = dir.resolve(name);
        Tools.run(List.of("gcc", "-shared", "-fPIC", "-O0", "-Wl," + buildIdOption, "-o", so.toString(), c.toString()));
        return so;
    }

    /** What readelf -lW says of the PT_LOAD segments: {lowest vaddr, highest vaddr + memsz}. */
    static long[] loadSpan(Path elf) {
        Tools.require("readelf", "binutils");
        Matcher m = Pattern.compile("(?m)^\\s*LOAD\\s+0x\\S+\\s+0x(\\S+)\\s+0x\\S+\\s+0x\\S+\\s+0x(\\S+)")
                .matcher(Tools.run(List.of("readelf", "-lW", elf.toString())));
        long lo = Long.MAX_VALUE;
        long hi = 0;
        while (m.find()) {
            long vaddr = Long.parseLong(m.group(1), 16);
            lo = Math.min(lo, vaddr);
            hi = Math.max(hi, vaddr + Long.parseLong(m.group(2), 16));
        }
        assertTrue(hi > lo, "readelf listed PT_LOAD segments");
        return new long[] {lo, hi};
    }

    @Test
    void libcFunctionsAsNmSeesThem() throws Exception {
        Tools.requireFile(LIBC, "the test reads x86-64 Debian/Ubuntu's libc");
        Map<Long, Set<String>> fns = nm(LIBC);
        assertTrue(fns.size() > 1000, "nm lists " + fns.size() + " function addresses");
        ElfSymbolFile f = ElfSymbolFile.open(LIBC);
        assertTrue(f.functions() >= fns.size(), "libc names " + f.functions() + " functions");
        for (Map.Entry<Long, Set<String>> fn : fns.entrySet()) {
            Optional<SymbolHit> hit = f.lookup(fn.getKey());
            assertTrue(hit.isPresent(), "nothing at " + Long.toHexString(fn.getKey()) + " " + fn.getValue());
            assertEquals(0, hit.get().functionOffset(), fn.toString());
            // aliases share an address (malloc and __libc_malloc): any of nm's names there is right, no other
            assertTrue(fn.getValue().contains(hit.get().function()), fn + " but found " + hit.get().function());
        }
        long malloc = fns.entrySet().stream().filter(e -> e.getValue().contains("malloc")).findFirst().orElseThrow()
                .getKey();
        SymbolHit inside = f.lookup(malloc + 0x10).orElseThrow();
        assertTrue(fns.get(malloc).contains(inside.function()), inside.toString());
        assertEquals(0x10, inside.functionOffset());
        Tools.require("readelf", "binutils");
        Matcher id = Pattern.compile("Build ID: ([0-9a-f]+)").matcher(Tools.run(List.of("readelf", "-n", LIBC.toString())));
        assertTrue(id.find(), "readelf shows libc's build id");
        assertEquals(id.group(1), f.buildId());
    }

    @Test
    void buildIdDebugIdAndLoadedSizeOfALibraryGccBuilt() throws Exception {
        Path so = library(tmp, "libplant.so", "--build-id=0x0123456789abcdef0011223344556677deadbeef");
        ElfSymbolFile f = ElfSymbolFile.open(so);
        assertEquals("0123456789abcdef0011223344556677deadbeef", f.buildId());
        // Breakpad (dump_syms prints this MODULE id for the file): the first 16 bytes as a GUID, then age 0
        assertEquals("67452301AB89EFCD00112233445566770", f.debugId());
        long[] span = loadSpan(so);
        long paged = ((span[1] + 0xfff) & ~0xfffL) - (span[0] & ~0xfffL);
        assertEquals(List.of(span[1] - span[0], paged), f.identity().loadedSizes());
        assertEquals("0123456789abcdef0011223344556677deadbeef", f.identity().codeId());
        Map<Long, Set<String>> fns = nm(so);
        long a = fns.entrySet().stream().filter(e -> e.getValue().contains("plant_a")).findFirst().orElseThrow()
                .getKey();
        assertEquals(new SymbolHit("plant_a", 4, null, null), f.lookup(a + 4).orElseThrow());
    }

    @Test
    void withoutABuildIdBreakpadsHashOfTextIsTheDebugId() throws Exception {
        Path so = library(tmp, "libplant.so", "--build-id=none");
        Tools.require("readelf", "binutils");
        Matcher text = Pattern.compile("\\s\\.text\\s+PROGBITS\\s+\\S+\\s+(\\S+)\\s+(\\S+)")
                .matcher(Tools.run(List.of("readelf", "-SW", so.toString())));
        assertTrue(text.find(), "readelf shows .text");
        int offset = Integer.parseInt(text.group(1), 16);
        int size = Integer.parseInt(text.group(2), 16);
        // Breakpad's FileID for such files: .text's first 4 KiB XORed in 16-byte strides, the last one whole
        byte[] file = Files.readAllBytes(so);
        byte[] hash = new byte[16];
        for (int at = 0; at < Math.min(size, 4096); at += 16) {
            for (int i = 0; i < 16; i++) {
                hash[i] ^= offset + at + i < file.length ? file[offset + at + i] : 0;
            }
        }
        String guid = String.format("%02X%02X%02X%02X%02X%02X%02X%02X", hash[3], hash[2], hash[1], hash[0], hash[5],
                hash[4], hash[7], hash[6]);
        for (int i = 8; i < 16; i++) {
            guid += String.format("%02X", hash[i]);
        }
        ElfSymbolFile f = ElfSymbolFile.open(so);
        assertNull(f.buildId());
        assertNull(f.identity().codeId());
        assertEquals(guid + "0", f.debugId());
    }

    @Test
    void damagedElfFilesGiveTheDocumentedErrorOnly() throws IOException {
        Path so = library(tmp, "libplant.so", "--build-id=0x0123456789abcdef0011223344556677deadbeef");
        byte[] good = Files.readAllBytes(so);
        Random rnd = new Random(11);
        Path p = tmp.resolve("damaged");
        int opened = 0;
        int refused = 0;
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
                ElfSymbolFile f = ElfSymbolFile.open(p);
                f.lookup(0x1000);
                f.identity();
                opened++;
            } catch (InputFormatException e) {
                assertTrue(e.getMessage().startsWith(p + ": at byte offset "), e.getMessage());
                refused++;
            }
        }
        // both outcomes happen: truncation past the headers is an error, flips in unread bytes are harmless
        assertTrue(opened > 50 && refused > 50, opened + " opened, " + refused + " refused");
    }
}
