package org.leakscope.symbols;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.leakscope.testing.Required;

/**
 * The tools and system files the symbol tests need (gcc, mingw-w64, binutils, the system's libc). Where one is
 * missing, a test is skipped with a message saying what to install; under CI (the {@code CI} environment variable
 * set, as CI services and {@code .ci/run} do) it fails instead, so a CI machine that lost a tool cannot pass by
 * skipping. Whether something is present is decided here, from the tool and the file system alone, never by the
 * code under test.
 */
final class Tools {
    private Tools() {
    }

    /** Skips the test (fails it under CI) with this reason. */
    static void missing(String what) {
        Required.that(false, what);
    }

    /** Skips (fails under CI) unless {@code tool --version} runs; {@code install} says where it comes from. */
    static void require(String tool, String install) {
        if (!exec(List.of(tool, "--version")).ok()) {
            missing(tool + " is not installed (" + install + ")");
        }
    }

    /** Skips (fails under CI) unless this file exists. */
    static Path requireFile(Path p, String why) {
        if (!Files.isRegularFile(p)) {
            missing(p + " is absent (" + why + ")");
        }
        return p;
    }

    /** The command's output; the test fails with it when the command cannot run or exits non-zero. */
    static String run(List<String> cmd) {
        Result r = exec(cmd);
        if (!r.ok()) {
            fail("failed: " + String.join(" ", cmd) + "\n" + r.out());
        }
        return r.out();
    }

    private record Result(boolean ok, String out) {
    }

    private static Result exec(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(false, out + "\n(timed out)");
            }
            return new Result(p.exitValue() == 0, out);
        } catch (IOException e) {
            return new Result(false, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, e.toString());
        }
    }
}
