package org.leakscope.cli;

import java.io.IOException;
import java.io.OutputStream;
import org.leakscope.cli.text.ControlChars;

/**
 * UTF-8 text on its way to a terminal or a report file, with every {@link ControlChars#isHidden hidden}
 * character rewritten to its visible escape, whichever renderer wrote it: the one place that makes input text
 * safe to print. Bytes that are not UTF-8 are shown as {@code \xHH}; a carriage return passes only before a
 * newline (Windows line ends). A write failure of the destination is kept and thrown as an
 * {@link OutputException} naming the destination, on this write and every later one, so a report stops at
 * the first failed write and {@link SafePrintStream} can report what PrintStream would swallow.
 */
final class EscapingOutputStream extends OutputStream {
    private final OutputStream out;
    private final String destination;
    private final byte[] buf = new byte[1 << 13];
    private int n;
    /** A multi-byte character begun in one write and finished in a later one. */
    private final int[] held = new int[4];
    private int heldLen;
    private int heldNeed;
    private boolean heldCr;
    private OutputException failure;
    private boolean written;

    EscapingOutputStream(OutputStream out, String destination) {
        this.out = out;
        this.destination = destination;
    }

    /** The first write failure, or null. */
    OutputException failure() {
        return failure;
    }

    /** Whether any byte was ever given to this stream (a run that wrote nothing may be run again). */
    boolean written() {
        return written;
    }

    @Override
    public void write(int b) throws OutputException {
        checkFailure();
        written = true;
        accept(b & 0xff);
    }

    @Override
    public void write(byte[] b, int off, int len) throws OutputException {
        checkFailure();
        written |= len > 0;
        int end = off + len;
        int i = off;
        while (i < end) {
            if (heldNeed == 0 && !heldCr) { // the common case, a stretch of printable ASCII: copied as it is
                int plain = i;
                while (plain < end && printable(b[plain])) {
                    plain++;
                }
                putAll(b, i, plain);
                i = plain;
                if (i == end) {
                    break;
                }
            }
            accept(b[i++] & 0xff);
        }
    }

    /** Printable ASCII, TAB and LF: bytes that pass as they are (TAB too: UMDH's stack lines each start with one). */
    private static boolean printable(byte c) {
        return c >= 0x20 && c < 0x7f || c == '\n' || c == '\t';
    }

    /** Releases a character cut off at the end (escaped) and flushes: the text is complete. */
    void finish() throws OutputException {
        if (heldCr) {
            heldCr = false;
            escape(0x0d);
        }
        escapeHeld();
        flush();
    }

    @Override
    public void flush() throws OutputException {
        drain();
        try {
            out.flush();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            finish();
        } finally {
            out.close();
        }
    }

    private void accept(int c) throws OutputException {
        if (heldCr) {
            heldCr = false;
            if (c == '\n') {
                put('\r');
                put('\n');
                return;
            }
            escape(0x0d);
        }
        if (heldNeed > 0) {
            if ((c & 0xc0) == 0x80) {
                held[heldLen++] = c;
                if (heldLen == heldNeed) {
                    character();
                }
                return;
            }
            escapeHeld(); // a lead byte without its continuation: not UTF-8
        }
        if (c < 0x80) {
            if (c == '\r') {
                heldCr = true;
            } else if (ControlChars.isHidden(c)) {
                escape(c);
            } else {
                put(c);
            }
            return;
        }
        int need = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
        if (need == 0) {
            escape(c);
            return;
        }
        held[0] = c;
        heldLen = 1;
        heldNeed = need;
    }

    /** A complete sequence in {@code held}: one character, shown as it is or escaped. */
    private void character() throws OutputException {
        int cp = held[0] & (0xff >> (heldNeed + 1));
        for (int i = 1; i < heldLen; i++) {
            cp = cp << 6 | held[i] & 0x3f;
        }
        boolean valid = heldNeed == 2 || heldNeed == 3 && cp >= 0x800 && (cp < 0xd800 || cp > 0xdfff)
                || heldNeed == 4 && cp >= 0x10000 && cp <= 0x10ffff;
        if (!valid) {
            escapeHeld();
        } else if (ControlChars.isHidden(cp)) {
            heldNeed = 0;
            heldLen = 0;
            putAscii(ControlChars.escape(cp));
        } else {
            for (int i = 0; i < heldLen; i++) {
                put(held[i]);
            }
            heldNeed = 0;
            heldLen = 0;
        }
    }

    private void escapeHeld() throws OutputException {
        int len = heldLen;
        heldNeed = 0;
        heldLen = 0;
        for (int i = 0; i < len; i++) {
            escape(held[i]);
        }
    }

    private void escape(int b) throws OutputException {
        putAscii(ControlChars.escape(b));
    }

    private void putAscii(String s) throws OutputException {
        for (int i = 0; i < s.length(); i++) {
            put(s.charAt(i));
        }
    }

    private void put(int b) throws OutputException {
        if (n == buf.length) {
            drain();
        }
        buf[n++] = (byte) b;
    }

    private void putAll(byte[] b, int from, int to) throws OutputException {
        while (from < to) {
            if (n == buf.length) {
                drain();
            }
            int k = Math.min(to - from, buf.length - n);
            System.arraycopy(b, from, buf, n, k);
            n += k;
            from += k;
        }
    }

    private void drain() throws OutputException {
        checkFailure();
        if (n == 0) {
            return;
        }
        try {
            out.write(buf, 0, n);
        } catch (IOException e) {
            throw failed(e);
        } finally {
            n = 0;
        }
    }

    private OutputException failed(IOException e) {
        if (failure == null) {
            failure = e instanceof OutputException o ? o : new OutputException(destination, e);
        }
        return failure;
    }

    private void checkFailure() throws OutputException {
        if (failure != null) {
            throw failure;
        }
    }
}
