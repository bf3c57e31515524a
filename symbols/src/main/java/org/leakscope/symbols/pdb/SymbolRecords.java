package org.leakscope.symbols.pdb;

/**
 * Walks CodeView symbol records: a 16-bit length (of what follows it), a 16-bit kind, the body. A length that
 * leaves the range, or is too short to hold the kind, is damage.
 */
final class SymbolRecords {
    private SymbolRecords() {
    }

    /** Receives each record: where it starts, its kind, and where the next one starts. */
    interface Visitor {
        void record(long at, int kind, long next);
    }

    static void forEach(MsfStream s, long start, long end, Visitor visitor) {
        long at = start;
        while (at + 4 <= end) {
            int len = s.u16(at);
            long next = at + 2 + len;
            if (len < 2 || next > end) {
                throw s.error(at, "a symbol record length from 2 to " + (end - at - 2), Integer.toString(len));
            }
            visitor.record(at, s.u16(at + 2), next);
            at = next;
        }
    }
}
