package org.leakscope.analysis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.leakscope.minidump.Minidump;
import org.leakscope.minidump.ResmonTableReader;
import org.leakscope.minidump.TableImage;
import org.leakscope.model.InputFormatException;
import org.leakscope.resmon.DebugViewOptions;
import org.leakscope.resmon.ResmonLogReader;
import org.leakscope.umdh.UmdhCompareReader;
import org.leakscope.umdh.UmdhLogKind;
import org.leakscope.umdh.UmdhOptions;
import org.leakscope.umdh.UmdhSnapshotReader;

/**
 * Opens any input by its content: a minidump ({@code MDMP}), a resmon table image, a UMDH snapshot log or
 * compare output, or a DebugView log with resmon output. The name of the file is never consulted.
 */
public final class Inputs {
    private Inputs() {
    }

    /**
     * Throws {@link NoSuchFileException}, {@link AccessDeniedException} (also for a directory on the way that
     * may not be searched), or a {@link FileSystemException} for a directory.
     */
    public static void check(Path p) throws IOException {
        if (Files.readAttributes(p, BasicFileAttributes.class).isDirectory()) {
            throw new FileSystemException(p.toString(), null, "expected a file, found a directory");
        }
        FileChannel.open(p, StandardOpenOption.READ).close();
    }

    /**
     * What a file is, from its first bytes and lines.
     *
     * @throws InputFormatException (line 1) when it is none of the kinds, or empty
     * @throws FileSystemException  when it is missing, unreadable or a directory
     */
    public static InputKind detect(Path path, InputOptions options) throws IOException {
        return detect(path, options.umdh());
    }

    /** {@link #detect(Path, InputOptions)} with the UMDH options alone (they carry the limits and charset). */
    public static InputKind detect(Path path, UmdhOptions options) throws IOException {
        check(path);
        byte[] head = new byte[8];
        int n;
        try (InputStream in = Files.newInputStream(path)) {
            n = in.readNBytes(head, 0, 8);
        }
        if (n == 8 && TableImage.isImage(head)) {
            return InputKind.TABLE_IMAGE;
        }
        if (n >= 4 && head[0] == 'M' && head[1] == 'D' && head[2] == 'M' && head[3] == 'P') {
            return InputKind.MINIDUMP; // whether it holds a resmon table is the operation's question
        }
        Optional<UmdhLogKind> kind = UmdhLogKind.detect(path, options.limits().maxLineChars());
        if (kind.isPresent()) {
            return kind.get() == UmdhLogKind.SNAPSHOT ? InputKind.UMDH_SNAPSHOT : InputKind.UMDH_COMPARE;
        }
        if (n > 0 && ResmonLogReader.sniff(path, DebugViewOptions.defaults().withAnsiCharset(options.ansiCharset()))) {
            return InputKind.RESMON_LOG;
        }
        // the commands that take minidumps and table images check for those first: only the text kinds are named
        throw InputFormatException.atLine(path.toString(), 1,
                "a UMDH snapshot log ('// UMDH: version' header, heap sections, 'N bytes + O at A by BackTraceID'"
                        + " records), a UMDH compare output ('+ N ( NEW - OLD) ... BackTraceID') or a DebugView log"
                        + " with resmon output ('[pid] name.exe|resmon| ...')",
                n == 0 ? "an empty file" : "none of them in its first lines");
    }

    /** True when the file is a regular file starting like a table image. */
    public static boolean isTableImage(Path p) throws IOException {
        if (!Files.isRegularFile(p)) {
            return false;
        }
        byte[] head = new byte[8];
        int n;
        try (InputStream in = Files.newInputStream(p)) {
            n = in.readNBytes(head, 0, 8);
        }
        return n == 8 && TableImage.isImage(head);
    }

    /** Detects the file's kind and opens it with that kind's reader; close the result. */
    public static Input open(Path path, InputOptions options) throws IOException {
        return open(path, detect(path, options), options, null);
    }

    /** Opens a file as a minidump, whatever it starts with (the reader says what is wrong with a non-dump). */
    public static Input.DumpFile openDump(Path path, InputOptions options) throws IOException {
        return new Input.DumpFile(path, Minidump.open(path, options.limits()));
    }

    /**
     * Opens a file of a known kind.
     *
     * @param progress bytes read so far of a text log, or null
     */
    public static Input open(Path path, InputKind kind, InputOptions options, LongConsumer progress)
            throws IOException {
        return switch (kind) {
            case MINIDUMP -> openDump(path, options);
            case TABLE_IMAGE -> {
                try (TableImage img = TableImage.open(path, options.limits())) {
                    yield new Input.TableImageFile(path, ResmonTableReader.read(img, img.headerVa()));
                }
            }
            case UMDH_SNAPSHOT -> new Input.UmdhSnapshotFile(path,
                    UmdhSnapshotReader.read(path, options.umdh().withProgress(progress)));
            case UMDH_COMPARE -> new Input.UmdhCompareFile(path,
                    UmdhCompareReader.read(path, options.umdh().withProgress(progress)));
            case RESMON_LOG -> new Input.DebugViewLog(path, ResmonLogReader.read(path, options.log(), progress));
        };
    }
}
