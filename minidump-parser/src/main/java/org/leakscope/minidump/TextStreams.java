package org.leakscope.minidump;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Text-valued streams: comments and Breakpad's Linux /proc captures. */
final class TextStreams {
    private TextStreams() {
    }

    static String decode(StreamKind kind, byte[] bytes) {
        String s = kind == StreamKind.COMMENT_W
                ? new String(bytes, 0, bytes.length & ~1, StandardCharsets.UTF_16LE)
                : new String(bytes, StandardCharsets.UTF_8);
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '\0') {
            end--;
        }
        s = s.substring(0, end);
        // cmdline and environ separate their entries with NULs; a comment ends at its NUL.
        if (kind == StreamKind.LINUX_CMD_LINE || kind == StreamKind.LINUX_ENVIRON) {
            return s.replace('\0', '\n');
        }
        int nul = s.indexOf('\0');
        return nul >= 0 ? s.substring(0, nul) : s;
    }

    static List<long[]> auxv(byte[] bytes, int pointerSize) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        List<long[]> out = new ArrayList<>();
        while (b.remaining() >= 2 * pointerSize) {
            long type = pointerSize == 8 ? b.getLong() : Integer.toUnsignedLong(b.getInt());
            long value = pointerSize == 8 ? b.getLong() : Integer.toUnsignedLong(b.getInt());
            out.add(new long[] {type, value});
            if (type == 0) {
                break; // AT_NULL ends the vector
            }
        }
        return out;
    }
}
