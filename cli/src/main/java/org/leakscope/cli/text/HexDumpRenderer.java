package org.leakscope.cli.text;

import java.util.List;
import org.leakscope.minidump.VirtualMemory;
import org.leakscope.model.Hex;

/** {@code --memory}: 16 bytes a line, address, hex, ASCII; bytes no range captured print as {@code ??}. */
public final class HexDumpRenderer {
    private HexDumpRenderer() {
    }

    public static String render(long address, List<VirtualMemory.Piece> pieces, int pointerSize) {
        long length = pieces.stream().mapToLong(VirtualMemory.Piece::length).sum();
        int[] bytes = new int[(int) length];
        int at = 0;
        for (VirtualMemory.Piece p : pieces) {
            for (int i = 0; i < p.length(); i++) {
                bytes[at++] = p.isGap() ? -1 : p.bytes()[i] & 0xff;
            }
        }
        StringBuilder out = new StringBuilder();
        for (int line = 0; line < bytes.length; line += 16) {
            out.append(Hex.padded(address + line, pointerSize)).append("  ");
            StringBuilder ascii = new StringBuilder();
            for (int i = 0; i < 16; i++) {
                if (i == 8) {
                    out.append(' ');
                }
                if (line + i < bytes.length) {
                    int b = bytes[line + i];
                    out.append(b < 0 ? "??" : Hex.digits(b, 2, false)).append(' ');
                    ascii.append(b < 0 ? ' ' : b >= 0x20 && b < 0x7f ? (char) b : '.');
                } else {
                    out.append("   ");
                }
            }
            out.append(' ').append(ascii).append('\n');
        }
        long gaps = pieces.stream().filter(VirtualMemory.Piece::isGap).mapToLong(VirtualMemory.Piece::length).sum();
        if (gaps > 0) {
            out.append("(").append(gaps).append(" of ").append(length)
                    .append(" bytes not captured in the dump: shown as ??)\n");
        }
        return out.toString();
    }
}
