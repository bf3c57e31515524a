package org.leakscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.testing.Required;

/**
 * {@code dumpsyms} on a stripped ELF program: its separate debug file is found by build id in a
 * {@code .build-id} tree under a {@code --symbols-path} folder, and the {@code .sym} written is the one the
 * unstripped program gives, record for record; a debug file of another build at that path is refused with a
 * warning naming both build ids.
 */
class DumpsymsDebugFileTest {
    private static final String BUILD_ID = "b060ad20c6b47781552708aa192e7739fac7c84a";

    @TempDir
    Path tmp;

    private static void objcopy(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("objcopy"));
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            Required.that(false, "objcopy (binutils) is not installed");
            return;
        }
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", cmd) + "\n" + out);
    }

    /** The program, stripped of its DWARF, under its own name in a folder of its own. */
    private Path stripped(Path full) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin")).resolve(full.getFileName().toString());
        objcopy("--strip-debug", full.toString(), bin.toString());
        return bin;
    }

    private Path buildIdPath(Path root, String id) throws IOException {
        Path p = root.resolve(".build-id").resolve(id.substring(0, 2)).resolve(id.substring(2) + ".debug");
        Files.createDirectories(p.getParent());
        return p;
    }

    @Test
    void strippedProgramWritesTheUnstrippedSymFile() throws Exception {
        Path full = CliRun.corpus("dwarf/moz_linux_basic.full");
        Path bin = stripped(full);
        Path root = tmp.resolve("debug");
        objcopy("--only-keep-debug", full.toString(), buildIdPath(root, BUILD_ID).toString());

        CliRun want = CliRun.of("dumpsyms", full.toString());
        assertEquals(ExitCode.OK, want.exit(), want.err());
        assertTrue(want.out().contains("\nFUNC "), "the unstripped program has FUNC records");

        CliRun alone = CliRun.of("dumpsyms", "--offline", bin.toString());
        assertFalse(alone.out().contains("\nFUNC "), "stripped, and its debug file not given: no FUNC records");

        CliRun got = CliRun.of("dumpsyms", "--offline", "--symbols-path", root.toString(), bin.toString());
        assertEquals(ExitCode.OK, got.exit(), got.err());
        assertEquals(want.out(), got.out());
        assertEquals("", got.err());
    }

    @Test
    void debugFileOfAnotherBuildIsRefused() throws Exception {
        Path full = CliRun.corpus("dwarf/moz_linux_basic.full");
        Path other = CliRun.corpus("stackwalk/sentry_crash_linux");
        Path bin = stripped(full);
        Path root = tmp.resolve("debug");
        Path placed = buildIdPath(root, BUILD_ID);
        objcopy("--only-keep-debug", other.toString(), placed.toString());

        CliRun got = CliRun.of("dumpsyms", "--offline", "--symbols-path", root.toString(), bin.toString());
        assertEquals(ExitCode.OK, got.exit(), got.err());
        assertFalse(got.out().contains("\nFUNC "), got.out());
        assertTrue(got.err().contains("dumpsyms: warning: ignoring " + placed + ": build id "), got.err());
        assertTrue(got.err().contains(", the program's is " + BUILD_ID + " (" + bin + ")"), got.err());
    }
}
