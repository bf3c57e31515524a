package org.leakscope.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Standard output or error as every command sees it: UTF-8 text passed through an
 * {@link EscapingOutputStream}, so no renderer can print a control character from an input raw, and the
 * first write failure kept for {@link Main} to report (a plain PrintStream swallows it: {@code > /dev/full}
 * would exit 0).
 */
final class SafePrintStream extends PrintStream {
    private final EscapingOutputStream escaping;
    private final OutputStream raw;
    private final PrintStream wrapped;
    private final boolean processStream;
    private final String name;

    private SafePrintStream(OutputStream raw, PrintStream wrapped, boolean processStream, String name,
            boolean autoFlush) {
        this(new EscapingOutputStream(raw, name), raw, wrapped, processStream, name, autoFlush);
    }

    private SafePrintStream(EscapingOutputStream escaping, OutputStream raw, PrintStream wrapped,
            boolean processStream, String name, boolean autoFlush) {
        super(escaping, autoFlush, StandardCharsets.UTF_8);
        this.escaping = escaping;
        this.raw = raw;
        this.wrapped = wrapped;
        this.processStream = processStream;
        this.name = name;
    }

    /** The process's own stream (fd 1 or 2), unbuffered below the filter's own buffer. */
    static SafePrintStream process(FileDescriptor fd, String name, boolean autoFlush) {
        return new SafePrintStream(new FileOutputStream(fd), null, true, name, autoFlush);
    }

    /** Any byte stream, e.g. a file: its write failures are reported as the process's own would be. */
    static SafePrintStream over(OutputStream raw, String name) {
        return new SafePrintStream(raw, null, false, name, false);
    }

    /** A stream handed to {@link Main#run} (a test's capture), filtered; already filtered ones as they are. */
    static SafePrintStream of(PrintStream s, String name, boolean autoFlush) {
        if (s instanceof SafePrintStream safe) {
            return safe;
        }
        return new SafePrintStream(s, s, false, name, autoFlush);
    }

    /** The filtered byte stream under this PrintStream: writes to it throw {@link OutputException}. */
    OutputStream escaping() {
        return escaping;
    }

    /**
     * The destination without the filter, for the progress line's own carriage return and erase-line
     * sequence; whatever is written here from an input must be escaped by the writer.
     */
    OutputStream raw() {
        return raw;
    }

    /** Whether any byte reached this stream yet (PrintStream passes each print on at once). */
    boolean written() {
        return escaping.written();
    }

    /** Whether this is the process's own stream rather than a test's capture. */
    boolean isProcessStream() {
        return processStream;
    }

    /** Ends the text and flushes it; throws the first write failure, if any. */
    void finish() throws OutputException {
        escaping.finish();
        if (wrapped != null && wrapped.checkError()) {
            throw new OutputException(name, "write failed");
        }
    }
}
