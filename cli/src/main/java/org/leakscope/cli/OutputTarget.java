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

    /** Something that writes a report to a Writer. */
    interface Body {
        void writeTo(java.io.Writer w) throws IOException;
    }

    /**
     * Streams a large report: to stdout directly, or to a temporary sibling renamed into place only when the
     * body completes, so nothing half-written is left behind when it fails.
     */
    void stream(Body body) throws IOException {
        if (file == null) {
            java.io.Writer w = new java.io.BufferedWriter(new java.io.OutputStreamWriter(stdout, StandardCharsets.UTF_8),
                    1 << 16);
            body.writeTo(w);
            w.flush();
            stdout.flush();
            return;
        }
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
        try {
            try (java.io.Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                body.writeTo(w);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    void write(String text) throws IOException {
        stream(w -> w.write(text));
    }
}
