package org.leakscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The filter every byte of output passes: what it shows as it is, what it escapes, across write boundaries. */
class EscapingOutputStreamTest {

    private static String filter(byte[]... writes) throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        EscapingOutputStream f = new EscapingOutputStream(sink, "test");
        for (byte[] w : writes) {
            f.write(w);
        }
        f.finish();
        return sink.toString(StandardCharsets.UTF_8);
    }

    private static String filter(String s) throws Exception {
        return filter(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void textPassesAsItIs() throws Exception {
        String s = "C:\\Program Files\\ü 中文 😀\tcolumn\nnext line\r\n";
        assertEquals(s, filter(s));
    }

    @Test
    void controlsAreShownEscaped() throws Exception {
        assertEquals("a\\x1b[2Jb\\x07c\\x00d\\x7fe\\x0df", filter("a\u001b[2Jb\u0007c\u0000d\u007fe\rf"));
        assertEquals("\\x9b31m \\x85", filter("\u009b31m \u0085"));
        assertEquals("abc\\u202edef\\u2066\\u200f\\u061c", filter("abc\u202edef\u2066\u200f\u061c"));
    }

    /** One character split over two writes is still one character; a CR before LF in a later write passes. */
    @Test
    void charactersSplitAcrossWrites() throws Exception {
        byte[] rlo = "\u202e".getBytes(StandardCharsets.UTF_8);
        byte[] csi = "\u009b".getBytes(StandardCharsets.UTF_8);
        assertEquals("x\\u202ey\\x9bz", filter(new byte[] {'x', rlo[0]}, new byte[] {rlo[1]},
                new byte[] {rlo[2], 'y', csi[0]}, new byte[] {csi[1], 'z'}));
        assertEquals("a\r\nb", filter(new byte[] {'a', '\r'}, new byte[] {'\n', 'b'}));
        assertEquals("a\\x0d", filter(new byte[] {'a', '\r'}));
    }

    /** Bytes that are not UTF-8 (a lone continuation, a cut-off sequence, an overlong ESC) are shown as bytes. */
    @Test
    void bytesThatAreNotUtf8() throws Exception {
        assertEquals("\\x9b[2J", filter(new byte[] {(byte) 0x9b, '[', '2', 'J'}));
        assertEquals("\\xe2\\x80x", filter(new byte[] {(byte) 0xe2, (byte) 0x80, 'x'}));
        assertEquals("\\xc0\\x9b", filter(new byte[] {(byte) 0xc0, (byte) 0x9b}));
        assertEquals("\\xed\\xa0\\x80", filter(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}));
        assertEquals("end\\xe2", filter(new byte[] {'e', 'n', 'd', (byte) 0xe2}));
    }

    /**
     * A long write (plain stretches copied in bulk, across the 8 KiB buffer's refills) gives what the same bytes
     * give one at a time.
     */
    @Test
    void longWritesMatchByteAtATime() throws Exception {
        StringBuilder sb = new StringBuilder();
        java.util.Random random = new java.util.Random(21);
        while (sb.length() < 50_000) {
            sb.append("x".repeat(random.nextInt(9000))).append(switch (random.nextInt(4)) {
                case 0 -> "\u001b[2J";
                case 1 -> "\r\n";
                case 2 -> "\u202e ü";
                default -> "\n";
            });
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        EscapingOutputStream one = new EscapingOutputStream(sink, "test");
        for (byte b : bytes) {
            one.write(b);
        }
        one.finish();
        String expected = sink.toString(StandardCharsets.UTF_8);
        assertEquals(expected, filter(bytes));
        assertEquals(true, expected.contains("\\x1b[2J") && expected.length() > 50_000);
    }
}
