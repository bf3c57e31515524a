package org.leakscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.testing.Required;

/**
 * Every tool names a frame only from a file of the module's own build: dumpscan with a Breakpad file and with
 * a PE image against the sample dump's CodeView ids, logscan with an ELF library against a module line's size.
 * A file of another build leaves the frame as module+offset and the warning names both ids. The PE and ELF
 * files are built here (mingw-w64, gcc); without those tools the tests are skipped, and fail under CI.
 */
class SymbolFileIdentityTest {
    private static final Path SAMPLE = CliRun.testdata("minidump/sample.dmp");
    /** The sample's leaky_service.exe: its CodeView GUID and age, and where the crash is inside it. */
    private static final String SERVICE_ID = "5EED00000000400080000000000000001";
    private static final long CRASH_RVA = 0x1f3a;

    @TempDir
    Path tmp;

    /** The command's output; skipped when the tool is missing (failed under CI), failed when it fails. */
    static String tool(String... cmd) {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            Required.that(false, cmd[0] + " is not installed");
            return null;
        }
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", cmd) + ": " + out);
            return out;
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** The sample's Breakpad store, copied, with leaky_service.sym's MODULE line naming {@code moduleId}. */
    private Path store(String moduleId) throws IOException {
        Path from = CliRun.testdata("minidump/symbols");
        Path to = tmp.resolve("symbols-" + moduleId);
        List<Path> files;
        try (Stream<Path> s = Files.walk(from)) {
            files = s.filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
            Path copy = to.resolve(from.relativize(f).toString());
            Files.createDirectories(copy.getParent());
            Files.writeString(copy, Files.readString(f).replace("MODULE windows x86_64 " + SERVICE_ID,
                    "MODULE windows x86_64 " + moduleId));
        }
        return to;
    }

    @Test
    void dumpscanRefusesASymFileWhoseModuleLineNamesAnotherBuild() throws IOException {
        String other = "5EED00000000400080000000000000992";
        Path misfiled = store(other);
        CliRun r = CliRun.of("dumpscan", SAMPLE.toString(), "--symbols-path", misfiled.toString());
        assertEquals(ExitCode.OK, r.exit(), r.err());
        assertTrue(r.out().contains("instruction 0x00007ff6a0001f3a  leaky_service.exe+0x1f3a\n"), r.out());
        Path sym = misfiled.resolve("leaky_service.pdb").resolve(SERVICE_ID).resolve("leaky_service.sym");
        assertEquals("dumpscan: warning: ignoring " + sym + ": its debug id " + other + " differs from the loaded"
                + " module leaky_service.exe (debug id " + SERVICE_ID + ")\n", r.err());
        // the pool.dll frame's file is of the right build and still names it
        assertTrue(r.out().contains("ThreadPool::WorkerLoop()+0x110"), r.out());

        CliRun same = CliRun.of("dumpscan", SAMPLE.toString(), "--symbols-path", store(SERVICE_ID).toString());
        assertTrue(same.out().contains("instruction 0x00007ff6a0001f3a  leaky_service.exe!LeakyCache::Insert("),
                same.out());
        assertEquals("", same.err());
    }

    /** The crash site of a mingw-w64 leaky_service.exe whose CodeView record holds {@code buildId}. */
    private Path service(String dir, String buildId) throws IOException {
        Path d = Files.createDirectories(tmp.resolve(dir));
        Path c = d.resolve("leaky_service.c");
        // 8 KiB of code in one function, so that it holds the sample's crash address 0x1f3a
        Files.writeString(c, """
                #include <stdlib.h>
                __attribute__((noinline)) void *crash_site(size_t n) {
                    __asm__ volatile(".fill 0x2000, 1, 0x90");
                    return malloc(n);
                }
                int main(void) { return crash_site(16) != 0; }
                """);
        Path exe = d.resolve("leaky_service.exe");
        tool("x86_64-w64-mingw32-gcc", "-O0", "-Wl,--build-id=0x" + buildId, "-o", exe.toString(), c.toString());
        return exe;
    }

    @Test
    void dumpscanNamesFramesFromAPeImageOnlyOfTheDumpsBuild() throws IOException {
        Path right = service("right", "5eed0000000040008000000000000000"); // the sample's GUID; ld writes age 1
        Path wrong = service("wrong", "5eed0000000040008000000000000099");
        long start = -1;
        long base = 0x140000000L; // mingw's default ImageBase for an .exe
        for (String line : tool("x86_64-w64-mingw32-nm", right.toString()).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && f[2].equals("crash_site")) {
                start = Long.parseLong(f[0], 16) - base;
            }
        }
        assertTrue(start > 0 && start <= CRASH_RVA, "crash_site at " + Long.toHexString(start));

        CliRun refused = CliRun.of("dumpscan", SAMPLE.toString(), "--symbols-path", wrong.getParent().toString());
        assertTrue(refused.out().contains("instruction 0x00007ff6a0001f3a  leaky_service.exe+0x1f3a\n"), refused.out());
        assertEquals("dumpscan: warning: ignoring " + wrong + ": its debug id 5EED00000000400080000000000000991"
                + " differs from the loaded module leaky_service.exe (debug id " + SERVICE_ID + ")\n", refused.err());

        CliRun used = CliRun.of("dumpscan", SAMPLE.toString(), "--symbols-path", wrong.getParent().toString(),
                "--symbols-path", right.getParent().toString());
        assertTrue(used.out().contains("instruction 0x00007ff6a0001f3a  leaky_service.exe!crash_site+0x"
                + Long.toHexString(CRASH_RVA - start) + "\n"), used.out());
    }

    /**
     * resmon.dll's module line carries the image's CodeView id: a PE image at the module's path (a Wine {@code Z:}
     * path) of another build is refused, naming both debug ids, and one of the logged build names the function.
     */
    @Test
    void logscanMatchesAPeImageByTheDebugIdOfResmonDllsModuleLine() throws Exception {
        Path right = service("right", "5eed0000000040008000000000000000"); // debug id ...0001: ld writes age 1
        Path wrong = service("wrong", "5eed0000000040008000000000000099");
        long base = 0x140000000L; // mingw's default ImageBase for an .exe
        long start = -1;
        for (String line : tool("x86_64-w64-mingw32-nm", right.toString()).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && f[2].equals("crash_site")) {
                start = Long.parseLong(f[0], 16) - base;
            }
        }
        long size = -1;
        for (String line : tool("x86_64-w64-mingw32-objdump", "-p", right.toString()).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2 && f[0].equals("SizeOfImage")) {
                size = Long.parseLong(f[1], 16);
            }
        }
        // the run's program was at wrong/ (rebuilt there since); its module line names the right build
        String zPath = "Z:" + wrong.toString().replace('/', '\\');
        Path log = log(base, size, "debugid " + SERVICE_ID + " ", zPath, start + 4, "service.log");

        CliRun refused = CliRun.of("logscan", log.toString());
        assertTrue(refused.out().contains("leaky_service.exe+0x" + Long.toHexString(start + 4)), refused.out());
        assertEquals("logscan: warning: ignoring " + wrong + ": its debug id 5EED00000000400080000000000000991"
                + " differs from the loaded module leaky_service.exe (debug id " + SERVICE_ID + ")\n", refused.err());

        CliRun named = CliRun.of("logscan", log.toString(), "--symbols-path", right.getParent().toString());
        assertTrue(named.out().contains("leaky_service.exe!crash_site+0x4"), named.out());
        assertEquals("", named.err());
    }

    @Test
    void logscanNamesFromAnElfLibraryOnlyOfTheLoggedSize() throws Exception {
        Library lib = library("plain", null);
        Path so = lib.file();
        long plantA = lib.plantA();
        long span = lib.span();
        ObjectMapper json = new ObjectMapper();

        CliRun named = CliRun.of("logscan", log(so, span, plantA + 4).toString(), "--json");
        assertEquals("", named.err());
        JsonNode site = json.readTree(named.out()).get("runs").get(0).get("report").get("callSites").get(0);
        assertEquals("libplant.so!plant_a+0x4", site.get("callSite").asText());

        Path rebuilt = log(so, span + 0x1000, plantA + 4); // the library was rebuilt since the run
        CliRun refused = CliRun.of("logscan", rebuilt.toString(), "--json");
        site = json.readTree(refused.out()).get("runs").get(0).get("report").get("callSites").get(0);
        assertEquals("libplant.so+0x" + Long.toHexString(plantA + 4), site.get("callSite").asText());
        assertEquals("logscan: warning: ignoring " + so + ": its loaded size (the span of its PT_LOAD segments) "
                + span + " differs from the loaded module libplant.so (" + (span + 0x1000) + " bytes; the input"
                + " records no id for it)\n", refused.err());
        assertFalse(refused.out().contains("plant_a"));
    }

    /**
     * libplant.so built by gcc, its plant_a's address and the span of its PT_LOAD segments (what libresmon's module
     * line records as its size).
     */
    private record Library(Path file, long plantA, long span) {
    }

    /** libplant.so built in {@code dir}, with this GNU build id (null: the compiler's default). */
    private Library library(String dir, String buildId) throws IOException {
        Path d = Files.createDirectories(tmp.resolve(dir));
        Path c = d.resolve("plant.c");
        Files.writeString(c, "int plant_a(int x) { return x * 3 + 1; }\n");
        Path so = d.resolve("libplant.so");
        List<String> gcc = new ArrayList<>(List.of("gcc", "-shared", "-fPIC", "-O0", "-o", so.toString(),
                c.toString()));
        if (buildId != null) {
            gcc.add("-Wl,--build-id=0x" + buildId);
        }
        tool(gcc.toArray(String[]::new));
        long plantA = -1;
        for (String line : tool("nm", "-D", "--defined-only", so.toString()).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && f[2].equals("plant_a")) {
                plantA = Long.parseLong(f[0], 16);
            }
        }
        long lo = Long.MAX_VALUE;
        long hi = 0;
        for (String line : tool("readelf", "-lW", so.toString()).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 5 && f[0].equals("LOAD")) {
                lo = Math.min(lo, Long.decode(f[2]));
                hi = Math.max(hi, Long.decode(f[2]) + Long.decode(f[5]));
            }
        }
        return new Library(so, plantA, hi - lo);
    }

    /**
     * libresmon's module line carries the library's build id: a library of the same name and the same size but
     * another build (a rebuild that changed no segment size) is refused with a warning naming both build ids,
     * and the file of the logged build names the function. logscan and leakdiff alike.
     */
    @Test
    void logscanAndLeakdiffRefuseASameSizeLibraryOfAnotherBuildId() throws Exception {
        String logged = "0123456789abcdef0011223344556677deadbeef";
        String rebuilt = "fedcba98765432100011223344556677cafef00d";
        Library right = library("right", logged);
        Library other = library("other", rebuilt);
        long plantA = right.plantA();
        long span = right.span();
        assertEquals(span, other.span(), "the two builds differ only in their build id: same size");
        assertEquals(plantA, other.plantA());
        Path otherSo = other.file();
        // the run's library was at other/libplant.so, since rebuilt there; the logged build is in right/
        Path log = log(otherSo, span, plantA + 4, "buildid " + logged + " ");
        ObjectMapper json = new ObjectMapper();
        String warning = "warning: ignoring " + otherSo + ": its build id " + rebuilt + " differs from the loaded"
                + " module libplant.so (build id " + logged + ")\n";

        CliRun refused = CliRun.of("logscan", log.toString(), "--json");
        JsonNode site = json.readTree(refused.out()).get("runs").get(0).get("report").get("callSites").get(0);
        assertEquals("libplant.so+0x" + Long.toHexString(plantA + 4), site.get("callSite").asText());
        assertEquals("logscan: " + warning, refused.err());

        CliRun named = CliRun.of("logscan", log.toString(), "--json", "--symbols-path",
                right.file().getParent().toString());
        site = json.readTree(named.out()).get("runs").get(0).get("report").get("callSites").get(0);
        assertEquals("libplant.so!plant_a+0x4", site.get("callSite").asText());
        assertEquals("", named.err());

        // leakdiff from before the leak: it names the call site from the logged build only, and says why not the other
        String before = withoutLeak(log).toString();
        CliRun diffRefused = CliRun.of("leakdiff", before, log.toString());
        // (UMDH's spelling: hex offsets without 0x)
        assertTrue(diffRefused.out().contains("\n\tlibplant.so+" + Long.toHexString(plantA + 4).toUpperCase(Locale.ROOT)
                + "\n"), diffRefused.out());
        assertFalse(diffRefused.out().contains("plant_a"), diffRefused.out());
        assertEquals("leakdiff: " + warning, diffRefused.err());
        CliRun diffNamed = CliRun.of("leakdiff", before, log.toString(), "--symbols-path",
                right.file().getParent().toString());
        assertTrue(diffNamed.out().contains("\n\tlibplant.so!plant_a+4\n"), diffNamed.out());
        assertEquals("", diffNamed.err());
    }

    /** A libresmon log of one run: the library's module line, then an exit report of one block from there. */
    private Path log(Path so, long size, long offset) throws IOException {
        return log(so, size, offset, "");
    }

    /** The same, with these identity fields in the module line ({@code "buildid HEX "}). */
    private Path log(Path so, long size, long offset, String fields) throws IOException {
        return log(0x7f3a_1200_0000L, size, fields, so.toString(), offset,
                "plant-" + size + (fields.isEmpty() ? "" : "-ids") + ".log");
    }

    /** A tracker's log of one run: one module line, then an exit report of one block from that module. */
    private Path log(long base, long size, String fields, String path, long offset, String name) throws IOException {
        List<String> lines = new ArrayList<>(List.of(
                String.format("module 0x%016X size %d %s%s", base, size, fields, path),
                "threads used 1, sync object used 0, memory used 100",
                "=========== CHECK UNRELEASED RESOUCRES ============",
                "------------------ memory usage 100 -----------------",
                "base 0x000055DCAA8229C0 size 100 tag 0000000000000000 (Malloc)",
                "created by [4242] thread",
                String.format("returnAddress 0x%016X", base + offset),
                "---------------------------------------------------",
                "------------------ thread usage 0 -----------------",
                "--------------- sync object usage 0 ---------------",
                "-------------------- allocations detail ----------------------------",
                "| size range                            | total allocs",
                "|0x0000000000000040 - 0x0000000000000080| 0x0000000000000001(1)",
                "--------------------------------------------------------------------",
                "error ... not all resources free",
                "==================================================="));
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            text.append(String.format(Locale.ROOT, "%08d\t%.8f\t[4242] plant|resmon| %s\n", i + 1, 0.001 * (i + 1),
                    lines.get(i)));
        }
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    /** The log's run before the leak: its exit report lists nothing. */
    private static Path withoutLeak(Path log) throws IOException {
        List<String> kept = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            String text = line.substring(line.indexOf("|resmon| ") + 9);
            if (!(text.startsWith("base ") || text.startsWith("created by") || text.startsWith("returnAddress")
                    || text.equals("-".repeat(51)) || text.startsWith("error"))) {
                kept.add(line.replace("memory usage 100 ", "memory usage 0 "));
            }
        }
        Path p = log.resolveSibling("before-" + log.getFileName());
        Files.write(p, kept);
        return p;
    }
}
