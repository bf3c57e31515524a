package org.leakscope.diff;

/** What "grew most" means when ranking stacks. */
public enum SortOrder {
    BYTES, COUNT;

    public static SortOrder parse(String s) {
        return switch (s) {
            case "bytes" -> BYTES;
            case "count" -> COUNT;
            default -> throw new IllegalArgumentException("unknown sort '" + s + "' (known: bytes, count)");
        };
    }
}
