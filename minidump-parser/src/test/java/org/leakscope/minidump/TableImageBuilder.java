package org.leakscope.minidump;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Table images built byte by byte from docs/formats/resmon-table.md, without the C writer and without the
 * reader's code: a header of either minor version, one heap chunk, and module chunks whose every field a test
 * may set to anything (damage included).
 */
final class TableImageBuilder {
    static final long HEADER_VA = 0x00007F0000001000L;
    static final long HEAP_CHUNK_VA = 0x00007F0000100000L;
    static final long MODULE_CHUNK_VA = 0x00007F0000200000L;

    /** A module entry as the contract lays it out (96 bytes); strings are offsets into its chunk's area. */
    static final class Entry {
        long base;
        long size;
        long loadTimeNs;
        long unloadTimeNs;
        long pathOffset;
        long debugFileOffset = 0xFFFFFFFFL;
        int idKind;
        int idLength;
        long age;
        long timestamp;
        byte[] id = new byte[32];

        Entry(long base, long size, long pathOffset) {
            this.base = base;
            this.size = size;
            this.pathOffset = pathOffset;
        }

        Entry id(int kind, byte[] bytes) {
            idKind = kind;
            idLength = bytes.length;
            System.arraycopy(bytes, 0, id, 0, Math.min(32, bytes.length));
            return this;
        }

        byte[] bytes() {
            ByteBuffer b = le(96);
            b.putLong(base).putLong(size).putLong(loadTimeNs).putLong(unloadTimeNs).putInt((int) pathOffset)
                    .putInt((int) debugFileOffset).putShort((short) idKind).putShort((short) idLength)
                    .putInt((int) age).putInt((int) timestamp).putInt(0).put(id).putLong(0);
            return b.array();
        }
    }

    /** A module chunk: its header fields as given (not derived), entries and a string area. */
    static final class ModuleChunk {
        long va;
        long magic = 0x444D4D52L; // RMMD
        long entrySize = 96;
        long capacity;
        long used;
        long stringBytes;
        long stringUsed;
        long nextVa;
        final List<Entry> entries = new ArrayList<>();
        byte[] strings = new byte[0];
        /** Where the string area is put; null: where the header says, after `capacity` entries. */
        Long stringsAt;

        ModuleChunk(long va) {
            this.va = va;
        }

        /** Appends NUL-terminated strings to the area; their offsets. */
        long[] strings(String... s) {
            long[] at = new long[s.length];
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            out.writeBytes(strings);
            for (int i = 0; i < s.length; i++) {
                at[i] = out.size();
                out.writeBytes(s[i].getBytes(StandardCharsets.UTF_8));
                out.write(0);
            }
            strings = out.toByteArray();
            return at;
        }

        /** Counts that agree with what was added (capacity with room to spare). */
        ModuleChunk consistent() {
            used = entries.size();
            capacity = Math.max(used, 4);
            stringUsed = strings.length;
            stringBytes = strings.length + 64;
            return this;
        }

        byte[] header() {
            ByteBuffer b = le(32);
            b.putInt((int) magic).putInt((int) entrySize).putInt((int) capacity).putInt((int) used)
                    .putInt((int) stringBytes).putInt((int) stringUsed).putLong(nextVa);
            return b.array();
        }

        /** As the writer stores it: the header and entries, then the string area at its place after capacity. */
        void addTo(TableImageBuilder image) {
            java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
            head.writeBytes(header());
            for (Entry e : entries) {
                byte[] eb = e.bytes();
                head.write(eb, 0, (int) Math.min(eb.length, Math.max(entrySize, 0)));
                for (long pad = 96; pad < entrySize; pad++) {
                    head.write(0);
                }
            }
            image.range(va, head.toByteArray());
            image.range(stringsAt != null ? stringsAt : va + 32 + capacity * entrySize, strings);
        }
    }

    int versionMinor = 1;
    /** The 8 bytes at header offset 536: module_list_va in 1.1, reserved in 1.0. */
    long at536;
    private final Map<Long, byte[]> ranges = new LinkedHashMap<>();
    private final List<long[]> heapRecords = new ArrayList<>();

    TableImageBuilder range(long va, byte[] bytes) {
        ranges.put(va, bytes);
        return this;
    }

    /** A live heap block of {@code size} bytes allocated from the given frames. */
    TableImageBuilder heap(long address, long size, long... frames) {
        long[] r = new long[frames.length + 2];
        r[0] = address;
        r[1] = size;
        System.arraycopy(frames, 0, r, 2, frames.length);
        heapRecords.add(r);
        return this;
    }

    private byte[] header() {
        ByteBuffer b = le(576);
        b.put("LKRESMON".getBytes(StandardCharsets.US_ASCII));
        for (byte c : "LKRESMON".getBytes(StandardCharsets.US_ASCII)) {
            b.put((byte) ~c);
        }
        b.putShort((short) 1).putShort((short) versionMinor).putInt(576).putLong(HEADER_VA).putInt(8).putInt(1)
                .putLong(77).putLong(1_700_000_000_000_000_000L).putLong(1_700_000_001_000_000_000L);
        byte[] name = new byte[64];
        byte[] n = "generated".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(n, 0, name, 0, n.length);
        b.put(name);
        b.position(240).putLong(heapRecords.isEmpty() ? 0 : HEAP_CHUNK_VA);
        b.position(272).putInt(32);
        b.position(536).putLong(at536);
        return b.array();
    }

    private byte[] heapChunk() {
        ByteBuffer b = le(32 + 176 * heapRecords.size());
        b.putInt(0x4B434D52).putInt(1).putInt(176).putInt(heapRecords.size()).putInt(heapRecords.size()).putInt(0)
                .putLong(0);
        for (long[] r : heapRecords) {
            int at = b.position();
            b.putInt(1).putInt(1234).putLong(5).putLong(r[0]).putShort((short) (r.length - 2)).putShort((short) 1)
                    .putInt(0);
            for (int i = 2; i < r.length; i++) {
                b.putLong(r[i]);
            }
            b.position(at + 160).putLong(r[1]).putLong(0);
        }
        return b.array();
    }

    byte[] build() {
        Map<Long, byte[]> all = new LinkedHashMap<>();
        all.put(HEADER_VA, header());
        if (!heapRecords.isEmpty()) {
            all.put(HEAP_CHUNK_VA, heapChunk());
        }
        all.putAll(ranges);
        int size = 24;
        for (byte[] r : all.values()) {
            size += 16 + (r.length + 7) / 8 * 8;
        }
        ByteBuffer b = le(size);
        b.put("LKRMIMG1".getBytes(StandardCharsets.US_ASCII)).putInt(1).putInt(all.size()).putLong(HEADER_VA);
        for (Map.Entry<Long, byte[]> r : all.entrySet()) {
            b.putLong(r.getKey()).putLong(r.getValue().length).put(r.getValue());
            b.position(b.position() + (8 - r.getValue().length % 8) % 8);
        }
        return b.array();
    }

    Path write(Path p) throws IOException {
        Files.write(p, build());
        return p;
    }

    static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    static byte[] bytes(int from, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }
}
