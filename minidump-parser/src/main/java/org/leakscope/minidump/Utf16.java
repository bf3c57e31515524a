package org.leakscope.minidump;

import java.nio.charset.StandardCharsets;

/** MINIDUMP_STRING payloads: UTF-16LE; an odd trailing byte is dropped and a trailing NUL cut. */
final class Utf16 {
    private Utf16() {
    }

    static String decode(byte[] bytes) {
        int n = bytes.length & ~1;
        String s = new String(bytes, 0, n, StandardCharsets.UTF_16LE);
        int nul = s.indexOf('\0');
        return nul >= 0 ? s.substring(0, nul) : s;
    }
}
