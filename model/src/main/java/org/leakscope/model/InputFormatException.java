package org.leakscope.model;

/**
 * Input that cannot be read: says where (file plus byte offset or line number), what was expected there and
 * what was found. The CLI prints {@link #getMessage()} as one line and exits with status 2.
 *
 * <p>Unchecked because readers are lazy (a stream is parsed when first asked for) and callers up the stack
 * handle every bad input the same way.
 */
public class InputFormatException extends RuntimeException {
    private final String source;
    private final Long offset;
    private final Long line;
    private final String expected;
    private final String found;

    private InputFormatException(String source, Long offset, Long line, String expected, String found,
            Throwable cause) {
        super(format(source, offset, line, expected, found), cause);
        this.source = source;
        this.offset = offset;
        this.line = line;
        this.expected = expected;
        this.found = found;
    }

    /** Damage at a byte offset of a binary file. */
    public static InputFormatException atOffset(String source, long offset, String expected, String found) {
        return new InputFormatException(source, offset, null, expected, found, null);
    }

    /** Same, keeping the low-level cause for debugging (never shown to the user). */
    public static InputFormatException atOffset(String source, long offset, String expected, String found,
            Throwable cause) {
        return new InputFormatException(source, offset, null, expected, found, cause);
    }

    /** Damage on a (1-based) line of a text file. */
    public static InputFormatException atLine(String source, long line, String expected, String found) {
        return new InputFormatException(source, null, line, expected, found, null);
    }

    /**
     * Damage in the captured memory of a process (a dump's or a table image's), located by virtual address:
     * the file offset behind it is the reader's business, the address is what a person can look up.
     */
    public static InputFormatException atAddress(String source, long address, String expected, String found) {
        return new InputFormatException(source, null, null, "at virtual address " + Hex.of(address) + " " + expected,
                found, null);
    }

    private static String format(String source, Long offset, Long line, String expected, String found) {
        StringBuilder sb = new StringBuilder(source == null ? "<input>" : source);
        if (offset != null) {
            sb.append(": at byte offset ").append(offset).append(" (").append(Hex.of(offset)).append(')');
        } else if (line != null) {
            sb.append(": line ").append(line);
        }
        sb.append(": expected ").append(expected).append(", found ").append(found);
        return sb.toString();
    }

    public String source() {
        return source;
    }

    /** Byte offset of the damage, or null for text input. */
    public Long offset() {
        return offset;
    }

    /** 1-based line number of the damage, or null for binary input. */
    public Long line() {
        return line;
    }

    public String expected() {
        return expected;
    }

    public String found() {
        return found;
    }
}
