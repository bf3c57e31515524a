package org.leakscope.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where a command's report goes: stdout, or a file written to a temporary sibling and renamed into place, so
 * a failure never leaves a half-written report behind. Both go through the {@link EscapingOutputStream}; a
 * failure is an {@link OutputException} naming the destination the user gave.
 */
final class OutputTarget {
    private final Path file;
    private final SafePrintStream stdout;

    OutputTarget(Path file, PrintStream stdout) {
        this.file = file;
        this.stdout = SafePrintStream.of(stdout, "standard output", false);
    }

    /** Something that writes a report to a Writer. */
    interface Body {
        void writeTo(Writer w) throws IOException;
    }

    /** Something that writes a report as UTF-8 bytes (the stream escapes them; the body flushes what it buffers). */
    interface ByteBody {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Streams a large report: to stdout directly, or to a temporary sibling renamed into place only when the
     * body completes, so nothing half-written is left behind when it fails.
     */
    void stream(Body body) throws IOException {
        streamBytes(out -> {
            Writer w = writer(out);
            body.writeTo(w);
            w.flush();
        });
    }

    /** {@link #stream(Body)} for a body that writes bytes: no Writer and encoder for text that is mostly ASCII. */
    void streamBytes(ByteBody body) throws IOException {
        if (file == null) {
            stdout.flush();
            OutputStream out = stdout.escaping();
            body.writeTo(out);
            out.flush();
            return;
        }
        BasicFileAttributes existing = attributes(file);
        if (existing != null && existing.isDirectory()) {
            throw new OutputException(file.toString(), "expected a file, found a directory");
        }
        if (existing != null && !existing.isRegularFile()) {
            // A device or a pipe (/dev/stdout, a FIFO): written in place; a rename would replace it.
            try {
                writeAndClose(Files.newOutputStream(file), body);
            } catch (OutputException e) {
                throw e;
            } catch (IOException e) {
                throw new OutputException(file.toString(), e);
            }
            return;
        }
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            throw new OutputException(file.toString(), "no such directory " + dir);
        }
        Path tmp = null;
        try {
            tmp = createSibling(dir);
            if (existing != null) {
                keepPermissions(file, tmp);
            }
            writeAndClose(Files.newOutputStream(tmp), body);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (OutputException e) {
            throw e;
        } catch (IOException e) {
            throw new OutputException(file.toString(), e);
        } finally {
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * The body's text through the escaping filter into {@code raw}, then closed. Not try-with-resources on the
     * filter: after a failed write its close throws the same kept exception, which cannot suppress itself.
     */
    private void writeAndClose(OutputStream raw, ByteBody body) throws IOException {
        try {
            EscapingOutputStream out = new EscapingOutputStream(raw, file.toString());
            body.writeTo(out);
            out.finish();
        } finally {
            raw.close();
        }
    }

    void write(String text) throws IOException {
        stream(w -> w.write(text));
    }

    private static Writer writer(OutputStream out) {
        return new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    }

    private static BasicFileAttributes attributes(Path p) throws OutputException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new OutputException(p.toString(), e);
        }
    }

    /**
     * A new hidden sibling, created with the default permissions (the umask decides, as for any Unix tool's
     * output; {@code Files.createTempFile} would make it 0600).
     */
    private Path createSibling(Path dir) throws IOException {
        while (true) {
            Path tmp = dir.resolve("." + file.getFileName() + "." + Long.toUnsignedString(
                    ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
            try {
                Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (FileAlreadyExistsException e) {
                // taken: draw another name
            }
        }
    }

    /** A report written over an existing file keeps that file's permissions, as {@code >} would. */
    private static void keepPermissions(Path from, Path to) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(from, PosixFileAttributeView.class);
        if (view != null) {
            Files.setPosixFilePermissions(to, view.readAttributes().permissions());
        }
    }
}
