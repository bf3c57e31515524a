package org.leakscope.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Locale;

/**
 * The report could not be written: names the destination the user gave (standard output, or the -o path,
 * never the temporary file behind it) and the reason. Exit status 2, or a quiet stop when standard output
 * was closed early by its reader ({@code | head}).
 */
final class OutputException extends IOException {
    private final boolean closedPipe;

    OutputException(String destination, IOException cause) {
        super("cannot write the report to " + destination + ": " + reason(cause), cause);
        this.closedPipe = isClosedPipe(cause);
    }

    OutputException(String destination, String reason) {
        super("cannot write the report to " + destination + ": " + reason);
        this.closedPipe = false;
    }

    /** The reader of a pipe went away (EPIPE on Unix, "the pipe is being closed" on Windows). */
    boolean closedPipe() {
        return closedPipe;
    }

    private static boolean isClosedPipe(IOException e) {
        String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        return m.contains("broken pipe") || m.contains("pipe is being closed") || m.contains("pipe has been ended");
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
