package org.leakscope.symbols.dwarf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.leakscope.testing.Required;

/** Runs the tools the call frame tests compare with (gcc, binutils, mingw-w64, llvm-mc, dump_syms). */
final class Commands {
    private Commands() {
    }

    /**
     * The command's standard output; the test is skipped (failed under CI) when the tool is not installed, and
     * fails when it exits non-zero or runs past two minutes.
     */
    static String run(List<String> cmd) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            Required.that(false, cmd.get(0) + " is not installed (.ci/run installs gcc, binutils, mingw-w64, llvm)");
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", cmd));
        assertEquals(0, p.exitValue(), String.join(" ", cmd));
        return out;
    }
}
