package org.leakscope.symbols.pdb;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds small MSF 7.00 files from stream contents, written from the format's description (LLVM's MsfFile.rst),
 * not from the reader's code: superblock in block 0, free-block maps in blocks 1 and 2 (left empty), then one
 * block-map block, the stream directory, and each stream's blocks in order. A null stream is a nil stream.
 */
final class MsfImage {
    static final int BLOCK = 1024;

    private MsfImage() {
    }

    static Path write(Path dir, String name, List<byte[]> streams) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, build(streams));
        return p;
    }

    static byte[] build(List<byte[]> streams) {
        int next = 4; // 0 superblock, 1-2 free-block maps, 3 block map
        List<int[]> lists = new ArrayList<>();
        for (byte[] s : streams) {
            int n = s == null ? 0 : (s.length + BLOCK - 1) / BLOCK;
            int[] list = new int[n];
            for (int i = 0; i < n; i++) {
                list[i] = next++;
            }
            lists.add(list);
        }
        ByteBuffer dir = le(4 + 4 * streams.size() + 4 * lists.stream().mapToInt(l -> l.length).sum());
        dir.putInt(streams.size());
        for (byte[] s : streams) {
            dir.putInt(s == null ? -1 : s.length);
        }
        for (int[] l : lists) {
            for (int b : l) {
                dir.putInt(b);
            }
        }
        int dirBlocks = (dir.capacity() + BLOCK - 1) / BLOCK;
        int dirStart = next;
        next += dirBlocks;
        byte[] file = new byte[next * BLOCK];
        ByteBuffer f = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        f.put("Microsoft C/C++ MSF 7.00\r\n\u001aDS\0\0\0".getBytes(StandardCharsets.ISO_8859_1));
        f.putInt(BLOCK).putInt(1).putInt(next).putInt(dir.capacity()).putInt(0).putInt(3);
        for (int i = 0; i < dirBlocks; i++) {
            f.putInt(3 * BLOCK + 4 * i, dirStart + i);
        }
        System.arraycopy(dir.array(), 0, file, dirStart * BLOCK, dir.capacity());
        for (int s = 0; s < streams.size(); s++) {
            int[] l = lists.get(s);
            for (int i = 0; i < l.length; i++) {
                byte[] data = streams.get(s);
                System.arraycopy(data, i * BLOCK, file, l[i] * BLOCK, Math.min(BLOCK, data.length - i * BLOCK));
            }
        }
        return file;
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
