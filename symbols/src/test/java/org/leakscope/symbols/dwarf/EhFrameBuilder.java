package org.leakscope.symbols.dwarf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes {@code .eh_frame} entries byte by byte for the damage tests, independently of the reader: CIEs with
 * the {@code zR} augmentation (pc-relative 4-byte pointers, code alignment 1, data alignment -8, return address
 * column 16: x86-64's usual CIE) and FDEs pointing back at them. {@code address} is where the section is loaded.
 */
final class EhFrameBuilder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final long address;

    EhFrameBuilder(long address) {
        this.address = address;
    }

    int offset() {
        return out.size();
    }

    /** A CIE with these initial instructions; returns its offset. */
    int cie(String augmentation, int... instructions) {
        return cieEncoding(0x1b, augmentation, instructions);
    }

    /** A CIE whose {@code R} augmentation says {@code encoding}. */
    int cieEncoding(int encoding, String augmentation, int... instructions) {
        int at = out.size();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        u32(body, 0); // CIE id
        body.write(1); // version
        body.writeBytes(augmentation.getBytes());
        body.write(0);
        body.write(1); // code alignment
        body.write(0x78); // data alignment -8 (sleb)
        body.write(16); // return address column
        if (augmentation.startsWith("z")) {
            body.write(1); // augmentation data length
            body.write(encoding); // R: usually pcrel | sdata4
        }
        for (int b : instructions) {
            body.write(b);
        }
        entry(body.toByteArray());
        return at;
    }

    /** An FDE of {@code [start, start + size)} using the CIE at {@code cie}; returns its offset. */
    int fde(int cie, long start, long size, int... instructions) {
        return fdeRaw(out.size() + 4 - cie, start, size, instructions);
    }

    /** An FDE whose CIE pointer field holds {@code ciePointer} as it is. */
    int fdeRaw(long ciePointer, long start, long size, int... instructions) {
        int at = out.size();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        u32(body, ciePointer);
        long field = address + at + 8;
        u32(body, start - field);
        u32(body, size);
        body.write(0); // augmentation data length
        for (int b : instructions) {
            body.write(b);
        }
        entry(body.toByteArray());
        return at;
    }

    /**
     * An FDE of {@code [start, start + size)} whose first instruction is {@code DW_CFA_set_loc} to
     * {@code location} (in the CIE's pc-relative 4-byte encoding), then {@code instructions}.
     */
    int fdeSetLoc(int cie, long start, long size, long location, int... instructions) {
        long operand = address + out.size() + 18; // length, CIE pointer, start, size, augmentation length, opcode
        long v = location - operand;
        int[] all = new int[5 + instructions.length];
        all[0] = 0x01;
        for (int i = 0; i < 4; i++) {
            all[1 + i] = (int) (v >>> (8 * i)) & 0xff;
        }
        System.arraycopy(instructions, 0, all, 5, instructions.length);
        return fde(cie, start, size, all);
    }

    /** As {@link #fde}, with the 64-bit length escape (0xffffffff, then 8 bytes; the CIE pointer stays 4 bytes). */
    int fde64(int cie, long start, long size, int... instructions) {
        int at = out.size();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        u32(body, at + 12 - cie); // the CIE pointer field is after the 12-byte length
        u32(body, start - (address + at + 16));
        u32(body, size);
        body.write(0);
        for (int b : instructions) {
            body.write(b);
        }
        u32(out, 0xffff_ffffL);
        u32(out, body.size());
        u32(out, 0);
        out.writeBytes(body.toByteArray());
        return at;
    }

    /** Raw bytes (a damaged length, a terminator). */
    EhFrameBuilder raw(int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    private void entry(byte[] body) {
        int pad = (8 - (body.length + 4) % 8) % 8; // DW_CFA_nop to an 8-byte multiple, as gcc pads
        u32(out, body.length + pad);
        out.writeBytes(body);
        for (int i = 0; i < pad; i++) {
            out.write(0);
        }
    }

    private static void u32(ByteArrayOutputStream o, long v) {
        o.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
    }
}
