package org.leakscope.model;

/**
 * Non-fatal damage found while reading: the rest of the input is still reported, and the problem is printed
 * as a warning. {@code offset} or {@code line} may be null when the position is unknown.
 */
public record Problem(String source, Long offset, Long line, String message) {

    public static Problem atOffset(String source, long offset, String message) {
        return new Problem(source, offset, null, message);
    }

    public static Problem atLine(String source, long line, String message) {
        return new Problem(source, null, line, message);
    }

    public static Problem of(InputFormatException e) {
        return new Problem(e.source(), e.offset(), e.line(), e.getMessage());
    }

    @Override
    public String toString() {
        return message;
    }
}
