package org.leakscope.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where a command's report goes: stdout, or a file written to a temporary sibling and renamed into place, so
 * a failure never leaves a half-written report behind.
 */
final class OutputTarget {
    private final Path file;
    private final PrintStream stdout;

    OutputTarget(Path file, PrintStream stdout) {
        this.file = file;
        this.stdout = stdout;
    }

    void write(String text) throws IOException {
        if (file == null) {
            stdout.print(text);
            stdout.flush();
            return;
        }
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
