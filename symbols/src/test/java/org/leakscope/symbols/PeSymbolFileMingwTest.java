package org.leakscope.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real mingw-w64 output against binutils' own reading of it: a tiny C program compiled to an .exe (COFF
 * symbols) and to a stripped .dll (exports only), names and RVAs as {@code x86_64-w64-mingw32-nm} and
 * {@code -objdump} report them. Skipped with a message where the cross compiler is not installed
 * ({@code apt-get install gcc-mingw-w64-x86-64}).
 */
class PeSymbolFileMingwTest {
    private static final String CC = "x86_64-w64-mingw32-gcc";
    private static final String SOURCE = """
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
        assumeTrue(run(List.of(CC, "--version")) != null, CC + " is not installed (gcc-mingw-w64-x86-64); skipping");
        Path c = tmp.resolve("planted.c");
        Files.writeString(c, SOURCE);
        exe = tmp.resolve("planted.exe");
        dll = tmp.resolve("planted.dll");
        assertTrue(run(List.of(CC, "-O0", "-o", exe.toString(), c.toString())) != null, "compiling the .exe");
        Path unstripped = tmp.resolve("unstripped.dll");
        assertTrue(run(List.of(CC, "-O0", "-shared", "-o", unstripped.toString(), c.toString())) != null,
                "compiling the .dll");
        Files.copy(unstripped, dll);
        assertTrue(run(List.of("x86_64-w64-mingw32-strip", dll.toString())) != null, "stripping the .dll");
    }

    /** The command's output, or null when it cannot be started or fails. */
    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            return null;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            return null;
        }
        return out;
    }

    /** {VA, name} of the text symbols nm lists (T and t). */
    private static List<Object[]> nm(Path file) throws Exception {
        String out = run(List.of("x86_64-w64-mingw32-nm", file.toString()));
        assumeTrue(out != null, "x86_64-w64-mingw32-nm is not installed (binutils-mingw-w64); skipping");
        List<Object[]> fns = new ArrayList<>();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && (f[1].equals("T") || f[1].equals("t"))) {
                fns.add(new Object[] {Long.parseUnsignedLong(f[0], 16), f[2]});
            }
        }
        return fns;
    }

    private static long imageBase(Path file) throws Exception {
        return header(file, "ImageBase");
    }

    /** A field of the optional header as objdump -p prints it (hex). */
    private static long header(Path file, String field) throws Exception {
        String out = run(List.of("x86_64-w64-mingw32-objdump", "-p", file.toString()));
        assumeTrue(out != null, "x86_64-w64-mingw32-objdump is not installed; skipping");
        Matcher m = Pattern.compile(field + "\\s+([0-9a-fA-F]+)").matcher(out);
        assertTrue(m.find(), "objdump -p names the " + field);
        return Long.parseUnsignedLong(m.group(1), 16);
    }

    /** Names of the COFF function symbols (type 0x20, class 2 or 3, in a section), from objdump -t. */
    private static Set<String> coffFunctions(Path file) throws Exception {
        String out = run(List.of("x86_64-w64-mingw32-objdump", "-t", file.toString()));
        assumeTrue(out != null, "x86_64-w64-mingw32-objdump is not installed; skipping");
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
