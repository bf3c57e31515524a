package org.leakscope.symbols.pdb;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes MSF 7.00 files for tests, independently of the reader: streams laid out in blocks in reverse order
 * (so no stream is contiguous), the directory after them, and as many block-map blocks as the directory needs.
 */
final class MsfWriter {
    private final int blockSize;
    private final List<byte[]> streams = new ArrayList<>();

    MsfWriter(int blockSize) {
        this.blockSize = blockSize;
    }

    MsfWriter add(byte[] stream) {
        streams.add(stream);
        return this;
    }

    byte[] write() {
        List<byte[]> blocks = new ArrayList<>();
        blocks.add(new byte[blockSize]); // superblock
        blocks.add(new byte[blockSize]); // free-block maps
        blocks.add(new byte[blockSize]);
        List<int[]> streamBlocks = new ArrayList<>();
        for (byte[] s : streams) {
            int n = (s.length + blockSize - 1) / blockSize;
            int[] list = new int[n];
            for (int i = n - 1; i >= 0; i--) { // backwards: consecutive stream blocks are not adjacent
                list[i] = blocks.size();
                byte[] b = new byte[blockSize];
                System.arraycopy(s, i * blockSize, b, 0, Math.min(blockSize, s.length - i * blockSize));
                blocks.add(b);
            }
            streamBlocks.add(list);
        }
        ByteBuffer dir = ByteBuffer.allocate(4 + 8 * streams.size() + streams.stream()
                .mapToInt(s -> 4 * ((s.length + blockSize - 1) / blockSize)).sum()).order(ByteOrder.LITTLE_ENDIAN);
        dir.putInt(streams.size());
        streams.forEach(s -> dir.putInt(s.length));
        streamBlocks.forEach(l -> {
            for (int b : l) {
                dir.putInt(b);
            }
        });
        int dirBytes = dir.position();
        int[] dirBlocks = place(blocks, java.util.Arrays.copyOf(dir.array(), dirBytes));
        ByteBuffer map = ByteBuffer.allocate(dirBlocks.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int b : dirBlocks) {
            map.putInt(b);
        }
        int[] mapBlocks = place(blocks, map.array());
        ByteBuffer sb = ByteBuffer.wrap(blocks.get(0)).order(ByteOrder.LITTLE_ENDIAN);
        sb.put("Microsoft C/C++ MSF 7.00\r\n\u001aDS\0\0\0".getBytes(StandardCharsets.ISO_8859_1));
        sb.putInt(blockSize).putInt(1).putInt(blocks.size()).putInt(dirBytes).putInt(0);
        for (int b : mapBlocks) {
            sb.putInt(b);
        }
        ByteBuffer out = ByteBuffer.allocate(blocks.size() * blockSize);
        blocks.forEach(out::put);
        return out.array();
    }

    private int[] place(List<byte[]> blocks, byte[] data) {
        int n = (data.length + blockSize - 1) / blockSize;
        int[] list = new int[n];
        for (int i = 0; i < n; i++) {
            list[i] = blocks.size();
            byte[] b = new byte[blockSize];
            System.arraycopy(data, i * blockSize, b, 0, Math.min(blockSize, data.length - i * blockSize));
            blocks.add(b);
        }
        return list;
    }
}
