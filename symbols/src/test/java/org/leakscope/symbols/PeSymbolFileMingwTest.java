package org.leakscope.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real mingw-w64 output against binutils' own reading of it: a tiny C program compiled to an .exe (COFF
 * symbols) and to a stripped .dll (exports only), names and RVAs as {@code x86_64-w64-mingw32-nm} and
 * {@code -objdump} report them; and the ids that say which build a file is (the CodeView record
 * {@code --build-id} writes, the link timestamp). Skipped with a message where the cross compiler is not
 * installed ({@code apt-get install gcc-mingw-w64-x86-64}), failed under CI ({@link Tools}).
 */
class PeSymbolFileMingwTest {
    private static final String CC = "x86_64-w64-mingw32-gcc";
    static final String SOURCE = """
            #include <stdio.h>
            #include <stdlib.h>

            static int helper_static(int x) { return x * 3 + 1; }

            __attribute__((noinline)) void *leak_small(size_t n) { return malloc(n + (size_t) helper_static((int) n)); }

            __declspec(dllexport) __attribute__((noinline)) int exported_function(int x) { return helper_static(x) + 2; }

            int main(void) {
                void *p = leak_small(16);
                printf("%p %d\\n", p, exported_function(3));
                return 0;
            }
            """;

    @TempDir
    static Path tmp;

    private static Path exe;
    private static Path dll;

    @BeforeAll
    static void compile() throws Exception {
        exe = compile(tmp, "planted.exe", SOURCE);
        dll = tmp.resolve("planted.dll");
        Path unstripped = compile(tmp, "unstripped.dll", SOURCE, "-shared");
        Files.copy(unstripped, dll);
        Tools.require("x86_64-w64-mingw32-strip", "binutils-mingw-w64");
        Tools.run(List.of("x86_64-w64-mingw32-strip", dll.toString()));
    }

    /** {@code source} compiled by mingw-w64's gcc into {@code dir/name}, with these extra options. */
    static Path compile(Path dir, String name, String source, String... options) throws IOException {
        Tools.require(CC, "apt-get install gcc-mingw-w64-x86-64");
        Path c = dir.resolve(name + ".c");
        Files.writeString(c, source);
        Path out = dir.resolve(name);
        List<String> cmd = new ArrayList<>(List.of(CC, "-O0"));
        cmd.addAll(List.of(options));
        cmd.addAll(List.of("-o", out.toString(), c.toString()));
        Tools.run(cmd);
        return out;
    }

    /** {VA, name} of the text symbols nm lists (T and t). */
    static List<Object[]> nm(Path file) {
        Tools.require("x86_64-w64-mingw32-nm", "binutils-mingw-w64");
        String out = Tools.run(List.of("x86_64-w64-mingw32-nm", file.toString()));
        List<Object[]> fns = new ArrayList<>();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && (f[1].equals("T") || f[1].equals("t"))) {
                fns.add(new Object[] {Long.parseUnsignedLong(f[0], 16), f[2]});
            }
        }
        return fns;
    }

    private static long imageBase(Path file) {
        return header(file, "ImageBase");
    }

    /** A field of the optional header as objdump -p prints it (hex). */
    static long header(Path file, String field) {
        String out = objdump(file, "-p");
        Matcher m = Pattern.compile(field + "\\s+([0-9a-fA-F]+)").matcher(out);
        assertTrue(m.find(), "objdump -p names the " + field);
        return Long.parseUnsignedLong(m.group(1), 16);
    }

    /** Names of the COFF function symbols (type 0x20, class 2 or 3, in a section), from objdump -t. */
    private static Set<String> coffFunctions(Path file) {
        String out = objdump(file, "-t");
        Pattern sym = Pattern.compile("\\(sec\\s+(-?\\d+)\\)\\(fl [^)]*\\)\\(ty\\s+20\\)\\(scl\\s+([23])\\) \\(nx \\d+\\) "
                + "0x[0-9a-f]+ (\\S+)");
        Set<String> names = new HashSet<>();
        for (String line : out.split("\n")) {
            Matcher m = sym.matcher(line);
            if (m.find() && Integer.parseInt(m.group(1)) >= 1) {
                names.add(m.group(3));
            }
        }
        return names;
    }

    static String objdump(Path file, String option) {
        Tools.require("x86_64-w64-mingw32-objdump", "binutils-mingw-w64");
        return Tools.run(List.of("x86_64-w64-mingw32-objdump", option, file.toString()));
    }

    /**
     * The debug id of the CodeView record objdump -p shows ({@code (format RSDS signature 0011… age 1 …)}): it
     * prints the GUID in its text order (Data1, Data2, Data3 as numbers), which is Breakpad's too, so the debug
     * id is that and the age in hex.
     */
    static String objdumpDebugId(Path file) {
        Matcher m = Pattern.compile("format RSDS signature ([0-9a-f]{32}) age (\\d+)").matcher(objdump(file, "-p"));
        assertTrue(m.find(), "objdump -p shows an RSDS record");
        return m.group(1).toUpperCase() + Integer.toHexString(Integer.parseInt(m.group(2))).toUpperCase();
    }

    /** The COFF header's TimeDateStamp, read from the file's bytes (e_lfanew, then 8 bytes into the header). */
    static long timeDateStamp(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        return Integer.toUnsignedLong(b.getInt(b.getInt(0x3c) + 8));
    }

    @Test
    void exeFunctionsAtTheRvasNmReports() throws Exception {
        long base = imageBase(exe);
        Map<Long, Set<String>> byRva = new HashMap<>();
        Set<String> functions = coffFunctions(exe);
        for (Object[] s : nm(exe)) {
            if (functions.contains((String) s[1])) {
                byRva.computeIfAbsent((Long) s[0] - base, k -> new HashSet<>()).add((String) s[1]);
            }
        }
        assertTrue(byRva.size() > 20, "nm and objdump agree on " + byRva.size() + " functions");
        PeSymbolFile f = PeSymbolFile.open(exe);
        assertEquals(base, f.imageBase());
        assertEquals(header(exe, "SizeOfImage"), f.imageSize());
        assertEquals(byRva.size(), f.functions());
        for (Map.Entry<Long, Set<String>> e : byRva.entrySet()) {
            SymbolHit hit = f.lookup(e.getKey()).orElseThrow(() -> new AssertionError("nothing at " + e));
            assertEquals(0, hit.functionOffset(), e.toString());
            assertTrue(e.getValue().contains(hit.function()), e + " but found " + hit.function());
        }
        long leak = nm(exe).stream().filter(s -> s[1].equals("leak_small")).mapToLong(s -> (Long) s[0]).findFirst()
                .orElseThrow() - base;
        assertEquals(new SymbolHit("leak_small", 0x12, null, null), f.lookup(leak + 0x12).orElseThrow());
        long helper = nm(exe).stream().filter(s -> s[1].equals("helper_static")).mapToLong(s -> (Long) s[0])
                .findFirst().orElseThrow() - base;
        assertEquals("helper_static", f.lookup(helper + 1).orElseThrow().function()); // a static function
        assertTrue(f.problems().isEmpty(), f.problems().toString());
        assertNull(f.debugId(), "no --build-id: no CodeView record");
        assertEquals(timeDateStamp(exe), f.timeDateStamp());
        assertEquals(String.format("%08X%x", timeDateStamp(exe), header(exe, "SizeOfImage")), f.identity().codeId());
    }

    @Test
    void buildIdIsTheCodeViewRecordsDebugId() throws Exception {
        Path built = compile(tmp, "withid.exe", SOURCE, "-Wl,--build-id=0x00112233445566778899aabbccddeeff01234567");
        PeSymbolFile f = PeSymbolFile.open(built);
        assertEquals(objdumpDebugId(built), f.debugId());
        // ld stores the build id's first 16 bytes as a GUID that reads as they do, and age 1
        assertEquals("00112233445566778899AABBCCDDEEFF1", f.debugId());
        assertEquals(List.of(header(built, "SizeOfImage")), f.identity().loadedSizes());
        assertTrue(f.problems().isEmpty(), f.problems().toString());
    }

    @Test
    void strippedDllNamesItsExports() throws Exception {
        long base = imageBase(dll);
        assertEquals(List.of(), nm(dll), "strip left no symbols");
        long exported = nm(tmp.resolve("unstripped.dll")).stream().filter(s -> s[1].equals("exported_function"))
                .mapToLong(s -> (Long) s[0]).findFirst().orElseThrow() - base;
        PeSymbolFile f = PeSymbolFile.open(dll);
        assertEquals(base, f.imageBase());
        assertEquals(new SymbolHit("exported_function", 4, null, null), f.lookup(exported + 4).orElseThrow());
        assertTrue(f.problems().isEmpty(), f.problems().toString());
    }
}
