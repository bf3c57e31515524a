package org.leakscope.symbols.dwarf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which row holds an address, with two sequences (0x1000 line 1, 0x1010 line 2, end 0x1020; 0x1100 line 10, end
 * 0x1120) written in address order (the rows are searched as they are) and in reverse (the rows get sorted): the
 * same answers, and none in the gap between the sequences or past their ends. A DWARF 4 line program written by
 * hand.
 */
class LineTableTest {
    private static void setAddress(ByteArrayOutputStream p, long a) {
        p.write(0);
        p.write(9);
        p.write(2); // DW_LNE_set_address
        for (int i = 0; i < 8; i++) {
            p.write((int) (a >>> (8 * i)));
        }
    }

    private static void sequence(ByteArrayOutputStream p, long start, int firstLine, int[] steps) {
        setAddress(p, start);
        p.write(3); // DW_LNS_advance_line
        p.write(firstLine - 1);
        p.write(1); // DW_LNS_copy
        for (int i = 0; i < steps.length; i++) {
            p.write(2); // DW_LNS_advance_pc
            p.write(steps[i]);
            if (i + 1 < steps.length) {
                p.write(3);
                p.write(1);
                p.write(1);
            }
        }
        p.write(0);
        p.write(1);
        p.write(1); // DW_LNE_end_sequence
    }

    private static LineTable table(boolean inOrder) {
        ByteArrayOutputStream program = new ByteArrayOutputStream();
        if (inOrder) {
            sequence(program, 0x1000, 1, new int[] {0x10, 0x10});
            sequence(program, 0x1100, 10, new int[] {0x20});
        } else {
            sequence(program, 0x1100, 10, new int[] {0x20});
            sequence(program, 0x1000, 1, new int[] {0x10, 0x10});
        }
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.writeBytes(new byte[] {1, 1, 1, -5, 14, 13}); // min inst, max ops, is_stmt, line base/range, base
        header.writeBytes(new byte[] {0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1}); // standard opcode lengths
        header.write(0); // no include directories
        header.writeBytes("a.c".getBytes());
        header.writeBytes(new byte[] {0, 0, 0, 0, 0}); // NUL, dir, mtime, length; end of files
        ByteBuffer b = ByteBuffer.allocate(4 + 2 + 4 + header.size() + program.size()).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(2 + 4 + header.size() + program.size()).putShort((short) 4).putInt(header.size());
        b.put(header.toByteArray()).put(program.toByteArray()).flip();
        Section line = new Section("test", ".debug_line", b, -1);
        Section none = Section.empty("test", ".debug_str", ByteOrder.LITTLE_ENDIAN);
        return LineTable.read(line, none, none, 0, "/src", "a.c", 8);
    }

    @Test
    void bothOrdersGiveTheSameRowsAndNoneInGaps() {
        Map<Long, Integer> expected = new java.util.TreeMap<>(Map.of(0x1000L, 1, 0x100fL, 1, 0x1010L, 2, 0x101fL, 2,
                0x1100L, 10, 0x111fL, 10));
        for (boolean inOrder : new boolean[] {true, false}) {
            LineTable t = table(inOrder);
            assertEquals(inOrder, t.sorted == null, "rows searched as they are only when in address order");
            for (var e : expected.entrySet()) {
                int row = t.rowAt(e.getKey());
                assertEquals(e.getValue(), row < 0 ? null : t.line[row], "line at 0x" + Long.toHexString(e.getKey()));
                assertNotNull(t.fileName(t.file[row]));
            }
            for (long gap : new long[] {0xfff, 0x1020, 0x1080, 0x10ff, 0x1120, 0x5000}) {
                int row = t.rowAt(gap);
                assertNull(row < 0 ? null : t.line[row], "a row at 0x" + Long.toHexString(gap) + ", in order " + inOrder);
            }
        }
    }
}
