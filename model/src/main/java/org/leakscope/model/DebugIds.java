package org.leakscope.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Breakpad's spelling of the ids that say which build of a module was loaded, so an id read from a dump's
 * CodeView record and one read from a program file on this machine compare as strings and match symbol store
 * paths. Debug id: a GUID as {@code %08X%04X%04X} then its last 8 bytes in hex, then the age in hex without
 * padding ({@code 5A9832E5287241C1838ED98914E9B7FF1}). Code id: a PE file's link timestamp ({@code %08X}) then
 * its SizeOfImage ({@code %x}), or an ELF file's whole build id in hex.
 */
public final class DebugIds {
    private DebugIds() {
    }

    /** A PDB 7.0 (CodeView RSDS) GUID and age. */
    public static String pdb70(byte[] guid, long age) {
        return guidText(guid) + Long.toHexString(age).toUpperCase(java.util.Locale.ROOT);
    }

    /** A PDB 2.0 (CodeView NB10) signature and age. */
    public static String pdb20(long signature, long age) {
        return Hex.digits(signature, 8, true) + Long.toHexString(age).toUpperCase(java.util.Locale.ROOT);
    }

    /**
     * An ELF file's debug id: the first 16 bytes of its build id (zero-padded when shorter) read as a GUID,
     * then age 0 (Breakpad's FileID). Files without a build id get Breakpad's 16-byte hash of their .text
     * section instead, which is folded the same way.
     */
    public static String elf(byte[] buildId) {
        byte[] g = new byte[16];
        System.arraycopy(buildId, 0, g, 0, Math.min(16, buildId.length));
        return guidText(g) + "0";
    }

    /** A PE file's code id: TimeDateStamp, 8 hex digits, then SizeOfImage in hex ({@code 45D35F6C2d000}). */
    public static String peCode(long timeDateStamp, long sizeOfImage) {
        return Hex.digits(timeDateStamp, 8, true) + Long.toHexString(sizeOfImage);
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
}
