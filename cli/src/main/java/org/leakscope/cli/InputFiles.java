package org.leakscope.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.leakscope.analysis.Inputs;

/**
 * The check every verb makes before reading an input, and the one wording of each file-system problem, so
 * the three tools say the same thing: "no such file", "permission denied", "expected a file, found a
 * directory".
 */
final class InputFiles {
    private InputFiles() {
    }

    /**
     * Throws {@link NoSuchFileException}, {@link AccessDeniedException} (also for a directory on the way that
     * may not be searched), or a {@link FileSystemException} for a directory.
     */
    static void check(Path p) throws IOException {
        Inputs.check(p);
    }

    /** The path, {@link #check checked}. */
    static Path checked(Path p) throws IOException {
        check(p);
        return p;
    }

    /** {@code FILE: no such file}, {@code FILE: permission denied}, or the exception's own {@code FILE: reason}. */
    static String message(FileSystemException e) {
        if (e instanceof NoSuchFileException) {
            return e.getFile() + ": no such file";
        }
        if (e instanceof AccessDeniedException) {
            return e.getFile() + ": permission denied";
        }
        return e.getMessage();
    }

    /**
     * A file name Java cannot turn into a path: under a C/POSIX locale (cron, containers) every non-ASCII
     * name, because Java 17 decodes file names in the locale's encoding.
     */
    static String message(InvalidPathException e) {
        String encoding = System.getProperty("sun.jnu.encoding", "?");
        if (e.getReason() != null && e.getReason().contains("unmappable")) {
            return "cannot use the file name '" + e.getInput() + "': it has characters that file names in this"
                    + " locale's encoding (" + encoding + ") cannot hold; run under a UTF-8 locale, e.g."
                    + " LC_ALL=C.UTF-8 (the bin/ launchers choose one themselves when the locale is C or POSIX)";
        }
        return "cannot use the file name '" + e.getInput() + "': " + e.getReason();
    }
}
