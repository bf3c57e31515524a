package org.leakscope.umdh;

import java.nio.charset.Charset;
import org.leakscope.model.Frame;
import org.leakscope.textio.TextLines;

/**
 * One stack line's frame, the way the snapshot reader and a later re-read of the same bytes both see it: a raw
 * hex address ({@code 776CDD82}, or WinDbg's {@code 00007ff6`1a2b3c4d}), or a symbolic frame
 * ({@code ntdll!RtlAllocateHeap+274}). One parser for both, so a stack read again is the stack first read.
 */
final class FrameLine {
    private final Cursor c = new Cursor();
    /** The raw address of the last parsed line, or {@link Cursor#NONE} when it was symbolic. */
    long address;
    /** The symbolic frame of the last parsed line and its text, or null. */
    Frame frame;
    String text;

    /** Parses the line's text {@code b[s, te)} (TAB and trailing blanks removed); false when it is no frame. */
    boolean parse(byte[] b, int s, int te, Charset ansi) {
        frame = null;
        text = null;
        c.reset(b, s, te);
        long addr = c.hex();
        if (addr != Cursor.NONE && c.atEnd()) {
            address = addr;
            return true;
        }
        String t = TextLines.decode(b, s, te, ansi);
        if (t.indexOf('`') > 0 && FrameText.isAddress(t)) {
            address = FrameText.parseHex(t);
            return true;
        }
        Frame f = FrameText.parseSymbolic(t);
        if (f == null) {
            return false;
        }
        address = Cursor.NONE;
        frame = f;
        text = t;
        return true;
    }
}
