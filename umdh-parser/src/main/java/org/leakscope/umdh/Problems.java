package org.leakscope.umdh;

import java.util.ArrayList;
import java.util.List;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Problem;

/** The lines a reader could not use: warnings, or the first one is an error under --strict. */
final class Problems {
    private final String source;
    private final boolean strict;
    private final List<Problem> list = new ArrayList<>();

    Problems(String source, boolean strict) {
        this.source = source;
        this.strict = strict;
    }

    /** Records a damaged line; throws in strict mode, and when a file has too many to be worth reading. */
    void line(long line, String expected, String found) {
        if (strict) {
            throw InputFormatException.atLine(source, line, expected, found);
        }
        if (list.size() >= UmdhOptions.MAX_PROBLEMS) {
            throw InputFormatException.atLine(source, line, "a UMDH log (gave up after "
                    + UmdhOptions.MAX_PROBLEMS + " lines it could not read)", found);
        }
        list.add(Problem.atLine(source, line,
                source + ": line " + line + ": expected " + expected + ", found " + found));
    }

    List<Problem> list() {
        return list;
    }
}
