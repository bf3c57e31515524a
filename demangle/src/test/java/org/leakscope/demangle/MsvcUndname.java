package org.leakscope.demangle;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.leakscope.testing.Required;

/** LLVM's llvm-undname, the reference: many names through one process. */
final class MsvcUndname {
    static final Path TOOL = Path.of("/usr/bin/llvm-undname");

    private MsvcUndname() {
    }

    /** Skips (fails under CI) when llvm-undname, of the Debian package llvm, is not installed. */
    static void require() {
        Required.that(Files.isExecutable(TOOL), TOOL + " is absent (apt package llvm; .ci/run installs it)");
    }

    /**
     * llvm-undname's text for each name, null where it says "Invalid mangled name". Reading stdin it echoes
     * each name, then prints the demangled text and an empty line, or only the empty line on failure.
     */
    static List<String> demangle(List<String> names, String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(TOOL.toString());
        command.addAll(List.of(options));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Thread writer = new Thread(() -> {
            try (OutputStream in = p.getOutputStream()) {
                for (String n : names) {
                    in.write((n + "\n").getBytes(StandardCharsets.ISO_8859_1));
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        writer.start();
        List<String> out = new ArrayList<>(names.size());
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.ISO_8859_1))) {
            for (String name : names) {
                String echo = r.readLine();
                if (!name.equals(echo)) {
                    throw new IOException("llvm-undname echoed " + echo + " for " + name);
                }
                String text = r.readLine();
                if (text == null) {
                    throw new IOException("llvm-undname stopped at " + name);
                }
                if (text.isEmpty()) {
                    out.add(null);
                } else {
                    out.add(text);
                    r.readLine();
                }
            }
        }
        writer.join();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return out;
    }
}
