package org.leakscope.umdh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.leakscope.textio.TextLines;

/** The two UMDH outputs, told apart by content (never by file name). */
public enum UmdhLogKind {
    /** {@code umdh -p:PID -f:log.txt}: every live allocation with its stack. */
    SNAPSHOT,
    /** {@code umdh [-d] old new}: per-stack growth between two snapshots. */
    COMPARE;

    private static final int HEAD_LINES = 5_000;

    /**
     * Looks at the first few thousand lines for a shape only one of the two has; empty when none is seen (not a
     * UMDH log, or nothing but comments).
     */
    public static Optional<UmdhLogKind> detect(Path path, int maxLineBytes) throws IOException {
        try (TextLines lines = TextLines.open(path, maxLineBytes, null)) {
            while (lines.number() < HEAD_LINES && lines.next()) {
                if (lines.tooLong()) {
                    continue;
                }
                String t = TextLines.decode(lines.bytes(), lines.start(), Math.min(lines.end(), lines.start() + 200),
                        StandardCharsets.ISO_8859_1).strip();
                Optional<UmdhLogKind> k = classify(t);
                if (k.isPresent()) {
                    return k;
                }
            }
            return Optional.empty();
        }
    }

    static Optional<UmdhLogKind> classify(String t) {
        if (t.startsWith("//")) {
            if (t.contains("UMDH: version") || t.contains("Loaded modules")) {
                return Optional.of(SNAPSHOT);
            }
            if (t.contains("BYTES_DELTA") || t.contains("Each log entry has the following syntax")) {
                return Optional.of(COMPARE);
            }
            return Optional.empty();
        }
        if (t.startsWith("*-") && (t.contains("Start of data for heap") || t.contains("Hogs"))) {
            return Optional.of(SNAPSHOT);
        }
        if (t.startsWith("Total increase ==") || t.startsWith("Total decrease ==")) {
            return Optional.of(COMPARE);
        }
        if ((t.startsWith("+") || t.startsWith("-")) && t.contains("(") && t.contains(" - ")
                && (t.contains("BackTrace") || t.contains("Backtrace"))) {
            return Optional.of(COMPARE);
        }
        int sp = t.indexOf(' ');
        if (sp > 0 && FrameText.isAddress(t.substring(0, sp))
                && (t.startsWith(" bytes + ", sp) || t.startsWith(" bytes in ", sp)) && t.contains("BackTrace")) {
            return Optional.of(SNAPSHOT);
        }
        return Optional.empty();
    }
}
