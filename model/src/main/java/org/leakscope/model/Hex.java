package org.leakscope.model;

/** Address formatting shared by every renderer, so a 64-bit address never prints as a negative number. */
public final class Hex {
    private Hex() {
    }

    /** {@code 0x} followed by the unsigned value in lowercase hex, no padding: {@code 0x45}. */
    public static String of(long value) {
        return "0x" + Long.toHexString(value);
    }

    /** Zero-padded to the pointer width in bytes (4 or 8): {@code 0x00400000}, {@code 0x00007ff6c0e10000}. */
    public static String padded(long value, int pointerSize) {
        String digits = Long.toHexString(value);
        int width = pointerSize <= 4 && (value >>> 32) == 0 ? 8 : 16;
        StringBuilder sb = new StringBuilder(2 + width).append("0x");
        for (int i = digits.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(digits).toString();
    }

    /**
     * Exactly {@code digits} hex digits (more if the value needs them), upper or lower case, no prefix:
     * {@code digits(0x45d35f6c, 8, true)} gives {@code 45D35F6C}. Hand-rolled because String.format pulls in
     * java.util.Formatter and regex, a measurable share of a short command's start-up.
     */
    public static String digits(long value, int digits, boolean upper) {
        // filled from the last digit back: a report prints thousands of addresses (one array, no case mapping)
        int needed = Math.max(1, 16 - Long.numberOfLeadingZeros(value) / 4);
        char[] out = new char[Math.max(digits, needed)];
        String alphabet = upper ? UPPER : LOWER;
        long v = value;
        for (int i = out.length - 1; i >= 0; i--) {
            out[i] = alphabet.charAt((int) (v & 0xF));
            v >>>= 4;
        }
        return new String(out);
    }

    private static final String UPPER = "0123456789ABCDEF";
    private static final String LOWER = "0123456789abcdef";

    /** Bytes as lowercase hex pairs, no separators: {@code 4d444d50}. */
    public static String bytes(byte[] data) {
        char[] out = new char[data.length * 2];
        for (int i = 0; i < data.length; i++) {
            out[2 * i] = Character.forDigit((data[i] >> 4) & 0xf, 16);
            out[2 * i + 1] = Character.forDigit(data[i] & 0xf, 16);
        }
        return new String(out);
    }

    /** Parses {@code 0x1f}, {@code 1f} (as hex) or an unsigned 64-bit value; throws NumberFormatException. */
    public static long parse(String text) {
        String t = text.trim();
        if (t.startsWith("0x") || t.startsWith("0X")) {
            t = t.substring(2);
        }
        t = t.replace("`", ""); // WinDbg writes 64-bit addresses as 00007ff6`c0e10000
        if (t.isEmpty() || t.length() > 16) {
            throw new NumberFormatException("not a 64-bit hex value: " + text);
        }
        return Long.parseUnsignedLong(t, 16);
    }
}
