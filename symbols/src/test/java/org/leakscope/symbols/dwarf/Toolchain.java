package org.leakscope.symbols.dwarf;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.leakscope.testing.Required;

/**
 * gcc and binutils for the DWARF tests: builds small programs in the DWARF variants a reader must handle and
 * runs addr2line. A missing tool skips the test, or fails it under CI ({@link Required}).
 */
final class Toolchain {
    /** A C++ program whose {@code malloc} is inlined two levels deep into a member function. */
    static final String INLINED = """
            #include <cstdlib>
            namespace leak { struct Pool { static void *grab(int n); }; }
            static inline __attribute__((always_inline)) void *inner(int n) { return malloc(n * 3 + 1); }
            inline __attribute__((always_inline)) void *middle(int n) { void *p = inner(n + 1); return p; }
            void *leak::Pool::grab(int n) { return middle(n); }
            int main(int argc, char **) { return leak::Pool::grab(argc) != nullptr; }
            """;

    private Toolchain() {
    }

    static void require(String tool) {
        boolean ok;
        try {
            ok = exec(List.of(tool, "--version"), null).exit == 0;
        } catch (IOException e) {
            ok = false;
        }
        Required.that(ok, tool + " is not installed (gcc, g++ and binutils from Debian)");
    }

    /** Compiles {@code source} with g++ and these flags into {@code dir/name}; then runs {@code objcopy} options. */
    static Path build(Path dir, String name, String source, List<String> flags, List<String> objcopy)
            throws IOException {
        return build("g++", dir, name, source, flags, objcopy);
    }

    /** The same with another compiler driver ({@code x86_64-w64-mingw32-g++}). */
    static Path build(String compiler, Path dir, String name, String source, List<String> flags,
            List<String> objcopy) throws IOException {
        require(compiler);
        Path src = dir.resolve(name + ".cpp");
        Files.writeString(src, source);
        Path out = dir.resolve(name);
        List<String> cmd = new ArrayList<>(List.of(compiler));
        cmd.addAll(flags);
        cmd.addAll(List.of(src.toString(), "-o", out.toString()));
        run(cmd, null);
        if (!objcopy.isEmpty()) {
            require("objcopy");
            List<String> oc = new ArrayList<>(List.of("objcopy"));
            oc.addAll(objcopy);
            oc.add(out.toString());
            run(oc, null);
        }
        return out;
    }

    record Result(int exit, String out) {
    }

    static String run(List<String> cmd, String input) throws IOException {
        Result r = exec(cmd, input);
        if (r.exit != 0) {
            fail("failed: " + String.join(" ", cmd) + "\n" + r.out);
        }
        return r.out;
    }

    private static Result exec(List<String> cmd, String input) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(input == null).start();
        if (input != null) {
            Thread feeder = new Thread(() -> {
                try (var w = p.getOutputStream()) {
                    w.write(input.getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // the process ended early: its exit status says so
                }
            });
            feeder.start();
        } else {
            p.getOutputStream().close();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("timed out: " + String.join(" ", cmd));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted: " + String.join(" ", cmd));
        }
        return new Result(p.exitValue(), out);
    }
}
