package org.leakscope.minidump;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.leakscope.model.Hex;

/**
 * Breakpad's debug-id spelling, so ids match symbol store paths: a PDB70 GUID as
 * {@code %08X%04X%04X} plus the last 8 bytes in hex plus the age in hex without padding
 * ({@code 5A9832E5287241C1838ED98914E9B7FF1}); ELF build ids are folded into the same GUID shape with age 0.
 */
final class CodeViewIds {
    private CodeViewIds() {
    }

    static String pdb70(byte[] guid, long age) {
        return guidText(guid) + Long.toHexString(age).toUpperCase();
    }

    static String pdb20(long signature, long age) {
        return Hex.digits(signature, 8, true) + Long.toHexString(age).toUpperCase();
    }

    /** Breakpad: the first 16 bytes of the build id (zero-padded) read as a GUID, then age 0. */
    static String elf(byte[] buildId) {
        byte[] g = new byte[16];
        System.arraycopy(buildId, 0, g, 0, Math.min(16, buildId.length));
        return guidText(g) + "0";
    }

    private static String guidText(byte[] g) {
        ByteBuffer b = ByteBuffer.wrap(g).order(ByteOrder.LITTLE_ENDIAN);
        StringBuilder sb = new StringBuilder(Hex.digits(Integer.toUnsignedLong(b.getInt(0)), 8, true)
                + Hex.digits(Short.toUnsignedLong(b.getShort(4)), 4, true)
                + Hex.digits(Short.toUnsignedLong(b.getShort(6)), 4, true));
        for (int i = 8; i < 16; i++) {
            sb.append(Hex.digits(g[i] & 0xff, 2, true));
        }
        return sb.toString();
    }

    static String hex(byte[] bytes) {
        return Hex.bytes(bytes);
    }
}
