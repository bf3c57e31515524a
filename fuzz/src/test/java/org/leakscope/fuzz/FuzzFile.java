package org.leakscope.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The fuzzer's bytes as a file, since every reader opens a path (and maps it). One file per target and thread,
 * rewritten for each input, so a campaign of millions of inputs creates no garbage on disk.
 */
final class FuzzFile {
    private static final ThreadLocal<Path> DIR = ThreadLocal.withInitial(() -> {
        try {
            Path d = Files.createTempDirectory("leakscope-fuzz-");
            d.toFile().deleteOnExit();
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    });

    private FuzzFile() {
    }

    /** This thread's folder (for targets that write more than one file, such as a symbol store). */
    static Path dir() {
        return DIR.get();
    }

    /** {@code bytes} written to {@code name} in this thread's folder; the name lets readers that look at it work. */
    static Path of(String name, byte[] bytes) {
        Path p = DIR.get().resolve(name);
        try {
            Files.write(p, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the fuzz input " + p, e);
        }
        p.toFile().deleteOnExit();
        return p;
    }
}
