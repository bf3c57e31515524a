package org.leakscope.symbols.pdb;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Test PDBs for the type and frame-data readers: type streams built from hand-written records (written from
 * LLVM's TpiStream.rst and cvinfo.h, not from the reader's code), put in an MSF file by {@link MsfWriter}.
 */
final class TestTypeStreams {
    private TestTypeStreams() {
    }

    /** An MSF file at {@code dir/name} holding {@code streams}, numbered from 0. */
    static Path write(Path dir, String name, List<byte[]> streams) throws Exception {
        MsfWriter w = new MsfWriter(1024);
        streams.forEach(w::add);
        Path p = dir.resolve(name);
        Files.write(p, w.write());
        return p;
    }

    static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * A TPI/IPI stream: the 56-byte header (version 20040203, indices from 0x1000) then {@code records}, each
     * given as its leaf kind and data (the length field is added, data padded to 4 bytes as MSVC pads).
     */
    static byte[] typeStream(List<byte[]> records) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] r : records) {
            int len = r.length;
            int padded = (len + 2 + 3) / 4 * 4 - 2;
            ByteBuffer b = le(2 + padded);
            b.putShort((short) padded).put(r);
            for (int i = len; i < padded; i++) {
                b.put((byte) (0xF0 + padded - i)); // LF_PAD3..LF_PAD1, as MSVC pads
            }
            body.writeBytes(b.array());
        }
        ByteBuffer h = le(56 + body.size());
        h.putInt(20040203).putInt(56).putInt(0x1000).putInt(0x1000 + records.size()).putInt(body.size());
        h.putShort((short) -1).putShort((short) -1);
        h.position(56);
        h.put(body.toByteArray());
        return h.array();
    }

    /** A type record: its leaf kind, then the given little-endian values (Integer = u32, Short = u16, Byte, String
     * = NUL-terminated). */
    static byte[] record(int kind, Object... fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(kind & 0xFF);
        out.write(kind >> 8 & 0xFF);
        for (Object f : fields) {
            if (f instanceof Integer i) {
                out.writeBytes(le(4).putInt(i).array());
            } else if (f instanceof Short s) {
                out.writeBytes(le(2).putShort(s).array());
            } else if (f instanceof Byte b) {
                out.write(b);
            } else if (f instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
                out.write(0);
            } else {
                throw new IllegalArgumentException(String.valueOf(f));
            }
        }
        return out.toByteArray();
    }
}
