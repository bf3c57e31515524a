package org.leakscope.demangle;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.leakscope.testing.Required;

/**
 * The tools the differential tests compare with or build with (binutils' c++filt and nm, mingw-w64's g++ and
 * nm). Missing, a test is skipped saying what to install; under CI it fails ({@link Required}).
 */
final class Tools {
    private Tools() {
    }

    /** Skips (fails under CI) unless {@code tool --version} runs; {@code install} names the package. */
    static void require(String tool, String install) {
        Result r = exec(List.of(tool, "--version"), null);
        Required.that(r.ok(), tool + " is not installed (" + install + ")");
    }

    /** The command's standard output, {@code input} as its standard input; fails the test if it cannot run. */
    static String run(List<String> cmd, Path input) {
        Result r = exec(cmd, input);
        if (!r.ok()) {
            fail("failed: " + String.join(" ", cmd) + "\n" + r.out());
        }
        return r.out();
    }

    /** Like {@link #run} but an exit status other than 0 gives null (nm on a stripped file says "no symbols"). */
    static String tryRun(List<String> cmd) {
        Result r = exec(cmd, null);
        return r.ok() ? r.out() : null;
    }

    private record Result(boolean ok, String out) {
    }

    private static Result exec(List<String> cmd, Path input) {
        try {
            Path err = Files.createTempFile("leakscope-tool", ".err");
            try {
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile());
                if (input != null) {
                    pb.redirectInput(input.toFile());
                }
                Process p = pb.start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(300, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return new Result(false, out + "\n(timed out)");
                }
                boolean ok = p.exitValue() == 0;
                return new Result(ok, ok ? out : out + Files.readString(err));
            } finally {
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            return new Result(false, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, e.toString());
        }
    }
}
