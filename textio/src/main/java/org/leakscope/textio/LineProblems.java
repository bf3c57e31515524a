package org.leakscope.textio;

import java.util.ArrayList;
import java.util.List;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Problem;

/**
 * The lines a text reader could not use: warnings with their line numbers, or, under --strict, an error at the
 * first one. A file with more than {@code max} of them is an error too: it is not the format at all.
 */
public final class LineProblems {
    private final String source;
    private final boolean strict;
    private final int max;
    private final String format;
    private final List<Problem> list = new ArrayList<>();

    /** @param format what the file was expected to be, for the too-many message ("a UMDH log") */
    public LineProblems(String source, boolean strict, int max, String format) {
        this.source = source;
        this.strict = strict;
        this.max = max;
        this.format = format;
    }

    /** Records a damaged line; throws in strict mode, and when a file has too many to be worth reading. */
    public void line(long line, String expected, String found) {
        if (strict) {
            throw InputFormatException.atLine(source, line, expected, found);
        }
        if (list.size() >= max) {
            throw InputFormatException.atLine(source, line,
                    format + " (gave up after " + max + " lines it could not read)", found);
        }
        list.add(Problem.atLine(source, line,
                source + ": line " + line + ": expected " + expected + ", found " + found));
    }

    public List<Problem> list() {
        return List.copyOf(list);
    }
}
