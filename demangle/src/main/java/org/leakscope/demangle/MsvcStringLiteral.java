package org.leakscope.demangle;

import org.leakscope.demangle.MsvcNodes.StringLiteral;

/**
 * {@code ??_C@_<0 or 1><byte length><crc>@<up to 32 bytes>@}: a string literal's symbol. It keeps the literal's
 * length and at most 32 of its bytes, so the text is shown as far as it is known, {@code "..."} marking the rest;
 * the character width of a narrow-mangled literal is guessed from its zero bytes, as llvm-undname does.
 */
final class MsvcStringLiteral {
    /** Some compilers mangled more than the 32 bytes MSVC keeps; past this the name is refused. */
    private static final int MAX_BYTES = 32 * 4;

    private MsvcStringLiteral() {
    }

    static StringLiteral parse(MsvcParser p) {
        if (!p.consume("@_")) {
            throw MsvcDemangler.Refused.INSTANCE;
        }
        char kind = p.next();
        if (kind != '0' && kind != '1') {
            throw MsvcDemangler.Refused.INSTANCE;
        }
        boolean wide = kind == '1';
        long size = p.number();
        if (p.negative() || Long.compareUnsigned(size, wide ? 2 : 1) < 0) {
            throw MsvcDemangler.Refused.INSTANCE;
        }
        p.skipPastAt(); // the CRC
        if (p.empty()) {
            throw MsvcDemangler.Refused.INSTANCE;
        }
        StringLiteral literal = new StringLiteral();
        StringBuilder text = new StringBuilder();
        if (wide) {
            literal.prefix = "L\"";
            literal.truncated = Long.compareUnsigned(size, 64) > 0;
            // more characters than the length says are shown as llvm-undname 14 shows them (the length wraps)
            while (!p.consume('@')) {
                int high = charLiteral(p);
                int low = charLiteral(p);
                if (size != 2 || literal.truncated) {
                    escaped(text, (high << 8) | low);
                }
                size -= 2;
            }
        } else {
            int[] bytes = new int[MAX_BYTES];
            int count = 0;
            while (!p.consume('@')) {
                if (count >= MAX_BYTES) {
                    throw MsvcDemangler.Refused.INSTANCE;
                }
                bytes[count++] = charLiteral(p);
            }
            literal.truncated = Long.compareUnsigned(size, count) > 0;
            int width = charWidth(bytes, count, size);
            literal.prefix = width == 1 ? "\"" : width == 2 ? "u\"" : "U\"";
            int chars = count / width;
            for (int i = 0; i < chars; i++) {
                long c = 0;
                for (int b = 0; b < width; b++) {
                    c |= (long) bytes[i * width + b] << (8 * b);
                }
                if (i + 1 < chars || literal.truncated) {
                    escaped(text, c);
                }
            }
        }
        literal.decoded = text.toString();
        return literal;
    }

    /** One byte: itself, or {@code ?$XY} (hex with A-P), {@code ?0}-{@code ?9} (punctuation), {@code ?a}… (high). */
    private static int charLiteral(MsvcParser p) {
        char c = p.next();
        if (c != '?') {
            return c & 0xFF;
        }
        c = p.next();
        if (c == '$') {
            int hi = p.next() - 'A';
            int lo = p.next() - 'A';
            if (hi < 0 || hi > 15 || lo < 0 || lo > 15) {
                throw MsvcDemangler.Refused.INSTANCE;
            }
            return (hi << 4) | lo;
        }
        if (c >= '0' && c <= '9') {
            return ",/\\:. \n\t'-".charAt(c - '0');
        }
        if (c >= 'a' && c <= 'z') {
            return 0xE1 + (c - 'a');
        }
        if (c >= 'A' && c <= 'Z') {
            return 0xC1 + (c - 'A');
        }
        throw MsvcDemangler.Refused.INSTANCE;
    }

    private static int charWidth(int[] bytes, int count, long size) {
        if (size % 2 == 1) {
            return 1;
        }
        if (Long.compareUnsigned(size, 32) < 0) {
            int trailingNulls = 0;
            for (int i = count - 1; i >= 0 && bytes[i] == 0; i--) {
                trailingNulls++;
            }
            if (trailingNulls >= 4 && size % 4 == 0) {
                return 4;
            }
            return trailingNulls >= 2 ? 2 : 1;
        }
        int nulls = 0;
        for (int i = 0; i < count; i++) {
            if (bytes[i] == 0) {
                nulls++;
            }
        }
        if (nulls >= 2 * count / 3 && size % 4 == 0) {
            return 4;
        }
        return nulls >= count / 3 ? 2 : 1;
    }

    private static void escaped(StringBuilder text, long c) {
        switch ((int) c) {
            case 0: text.append("\\0"); return;
            case '\'': text.append("\\'"); return;
            case '"': text.append("\\\""); return;
            case '\\': text.append("\\\\"); return;
            case 7: text.append("\\a"); return;
            case '\b': text.append("\\b"); return;
            case '\f': text.append("\\f"); return;
            case '\n': text.append("\\n"); return;
            case '\r': text.append("\\r"); return;
            case '\t': text.append("\\t"); return;
            case 11: text.append("\\v"); return;
            default: break;
        }
        if (c > 0x1F && c < 0x7F) {
            text.append((char) c);
            return;
        }
        String hex = Long.toHexString(c).toUpperCase(java.util.Locale.ROOT);
        text.append("\\x");
        if (hex.length() % 2 == 1) {
            text.append('0');
        }
        text.append(hex);
    }
}
