package org.leakscope.minidump;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes minidumps for tests, from Microsoft's minidumpapiset.h and Breakpad's minidump_format.h, without
 * using any of the reader's code or its .ksy: the two are independent, so each checks the other.
 * Streams are appended in call order; {@link #write(Path)} lays out header, directory and data, and can
 * leave Memory64 data as a sparse hole so a dump larger than 4 GB costs no disk.
 */
public final class SyntheticDumpBuilder {
    private record Stream(long type, byte[] data) {
    }

    private final List<Stream> streams = new ArrayList<>();
    /** Extra blobs (strings, contexts, CodeView records) placed after the streams; RVAs assigned at write. */
    private final ByteBuffer blobs = le(1 << 20);
    private long memory64Bytes;
    private final List<long[]> memory64Ranges = new ArrayList<>();
    private long timestamp = 1_700_000_000L;
    private long flags;

    /** Blob offsets are relative to the blob area until write() adds its base; we fix the base up front. */
    static final int BLOB_BASE = 0x10000;

    static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    public SyntheticDumpBuilder flags(long f) {
        this.flags = f;
        return this;
    }

    /** Places bytes in the blob area, 4-aligned; returns their file offset. */
    int blob(byte[] data) {
        while (blobs.position() % 4 != 0) {
            blobs.put((byte) 0);
        }
        int at = BLOB_BASE + blobs.position();
        blobs.put(data);
        return at;
    }

    /** A MINIDUMP_STRING: byte length, UTF-16LE, terminating NUL not counted. */
    int string(String s) {
        byte[] u = s.getBytes(StandardCharsets.UTF_16LE);
        ByteBuffer b = le(4 + u.length + 2).putInt(u.length).put(u);
        return blob(b.array());
    }

    public SyntheticDumpBuilder stream(long type, byte[] data) {
        streams.add(new Stream(type, data));
        return this;
    }

    // ------------------------------------------------------------------ streams

    /**
     * SystemInfo: architecture 0 (x86), 9 (amd64), 5 (arm), 12 (arm64); platform 2 (Windows NT), 0x8201 (Linux),
     * 0x8101 (macOS). An Intel family 6 model 13 stepping 8 CPU with the vendor id "GenuineIntel".
     */
    public SyntheticDumpBuilder systemInfo(int arch, long platform, String csd) {
        ByteBuffer cpu = le(24).put("GenuineIntel".getBytes(StandardCharsets.US_ASCII)).putInt(0x6d8)
                .putInt(0xafe9fbff).putInt(0);
        return systemInfo(arch, platform, csd, 6, 0x0d08, cpu.array());
    }

    /**
     * SystemInfo with the CPU's ProcessorLevel, ProcessorRevision and the 24-byte CPU_INFORMATION union as given:
     * x86 vendor id, version, features; or amd64 ProcessorFeatures; or Breakpad's ARM cpuid and AT_HWCAP.
     */
    public SyntheticDumpBuilder systemInfo(int arch, long platform, String csd, int level, int revision,
            byte[] cpuUnion) {
        ByteBuffer b = le(56);
        b.putShort((short) arch).putShort((short) level).putShort((short) revision).put((byte) 4).put((byte) 1);
        b.putInt(10).putInt(0).putInt(19045).putInt((int) platform).putInt(string(csd));
        b.putShort((short) 0x100).putShort((short) 0);
        b.put(cpuUnion, 0, 24);
        return stream(7, b.array());
    }

    /** The Priority field of threads written after this call (a signed value, as GetThreadPriority returns). */
    public SyntheticDumpBuilder threadPriority(int priority) {
        this.threadPriority = priority;
        return this;
    }

    private int threadPriority;

    /** ThreadList with one CONTEXT per thread; x86 contexts are 716 bytes, amd64 ones {@code amd64Size}. */
    public SyntheticDumpBuilder threads(boolean amd64, int amd64Size, long[][] idIpSp) {
        ByteBuffer b = le(4 + 48 * idIpSp.length).putInt(idIpSp.length);
        for (long[] t : idIpSp) {
            byte[] ctx;
            if (amd64) {
                ByteBuffer c = le(amd64Size);
                c.putInt(0x30, 0x10001f).putLong(0x98, t[2]).putLong(0xa0, t[2] + 0x20).putLong(0xf8, t[1]);
                ctx = c.array();
            } else {
                ByteBuffer c = le(716);
                c.putInt(0, 0x1003f).putInt(0xb4, (int) t[2] + 0x20).putInt(0xb8, (int) t[1]).putInt(0xc4, (int) t[2]);
                ctx = c.array();
            }
            int ctxRva = blob(ctx);
            b.putInt((int) t[0]).putInt(0).putInt(0x20).putInt(threadPriority).putLong(0x7ffd0000L + t[0]);
            b.putLong(t[2]).putInt(0).putInt(0); // stack: not captured
            b.putInt(ctx.length).putInt(ctxRva);
        }
        return stream(3, b.array());
    }

    /**
     * A module whose CodeView record names a given build: {@code debugId} in Breakpad's spelling (32 hex digits
     * of the GUID, then the age), {@code pdb} the PDB's name.
     */
    public SyntheticDumpBuilder moduleWithPdb(long base, int size, String path, String debugId, String pdb) {
        ByteBuffer r = le(4 + 16 + 4 + pdb.length() + 1).putInt(0x53445352);
        r.putInt((int) Long.parseLong(debugId.substring(0, 8), 16));
        r.putShort((short) Integer.parseInt(debugId.substring(8, 12), 16));
        r.putShort((short) Integer.parseInt(debugId.substring(12, 16), 16));
        for (int i = 16; i < 32; i += 2) {
            r.put((byte) Integer.parseInt(debugId.substring(i, i + 2), 16));
        }
        r.putInt(Integer.parseInt(debugId.substring(32), 16)).put((pdb + "\0").getBytes(StandardCharsets.US_ASCII));
        return module(base, size, path, r.array());
    }

    /** ModuleList; cv is "RSDS", "NB10" or "BpEL" (ELF build id 0x01..0x14). */
    public SyntheticDumpBuilder module(long base, int size, String path, String cv) {
        byte[] record;
        if (cv.equals("RSDS")) {
            ByteBuffer r = le(4 + 16 + 4 + 8).putInt(0x53445352);
            for (int i = 0; i < 16; i++) {
                r.put((byte) (0x10 + i));
            }
            r.putInt(2).put("app.pdb\0".getBytes(StandardCharsets.US_ASCII));
            record = r.array();
        } else if (cv.equals("NB10")) {
            record = le(16 + 8).putInt(0x3031424e).putInt(0).putInt(0x12345678).putInt(3)
                    .put("old.pdb\0".getBytes(StandardCharsets.US_ASCII)).array();
        } else {
            ByteBuffer r = le(4 + 20).putInt(0x4270454c);
            for (int i = 1; i <= 20; i++) {
                r.put((byte) i);
            }
            record = r.array();
        }
        return module(base, size, path, record);
    }

    private SyntheticDumpBuilder module(long base, int size, String path, byte[] record) {
        int cvRva = blob(record);
        ByteBuffer m = le(108).putLong(base).putInt(size).putInt(0).putInt(0x5f000000).putInt(string(path));
        m.putInt(0xfeef04bd).putInt(0x10000).putInt(0x000a0000).putInt(0x4a6103c4);
        m.position(m.position() + 36);
        m.putInt(record.length).putInt(cvRva).putInt(0).putInt(0);
        pendingModules.add(m.array());
        return this;
    }

    private final List<byte[]> pendingModules = new ArrayList<>();

    public SyntheticDumpBuilder endModules() {
        ByteBuffer b = le(4 + 108 * pendingModules.size()).putInt(pendingModules.size());
        pendingModules.forEach(b::put);
        pendingModules.clear();
        return stream(4, b.array());
    }

    /** One MemoryList with several captured ranges. */
    public SyntheticDumpBuilder memoryList(List<Long> addresses, List<byte[]> data) {
        ByteBuffer l = le(4 + 16 * addresses.size()).putInt(addresses.size());
        for (int i = 0; i < addresses.size(); i++) {
            l.putLong(addresses.get(i)).putInt(data.get(i).length).putInt(blob(data.get(i)));
        }
        return stream(5, l.array());
    }

    /** MemoryList with captured bytes. */
    public SyntheticDumpBuilder memory(long address, byte[] data) {
        int rva = blob(data);
        return stream(5, le(4 + 16).putInt(1).putLong(address).putInt(data.length).putInt(rva).array());
    }

    /** A Memory64List range whose data is left as a hole in the file (zeros, no disk blocks). */
    public SyntheticDumpBuilder memory64(long address, long size) {
        memory64Ranges.add(new long[] {address, size});
        memory64Bytes += size;
        return this;
    }

    public SyntheticDumpBuilder exception(long threadId, long code, long address, long... params) {
        return exceptionWithFlags(threadId, code, 0, address, params);
    }

    /**
     * The Exception stream with ExceptionFlags: the flag bits on Windows, the si_code on Linux, the Mach code on
     * macOS. Parameters are written as given (a 32-bit writer's sign-extended 0xffffffff00000045 included).
     */
    public SyntheticDumpBuilder exceptionWithFlags(long threadId, long code, long flags, long address,
            long... params) {
        ByteBuffer b = le(168).putInt((int) threadId).putInt(0).putInt((int) code).putInt((int) flags).putLong(0)
                .putLong(address).putInt(params.length).putInt(0);
        for (int i = 0; i < 15; i++) {
            b.putLong(i < params.length ? params[i] : 0);
        }
        return stream(6, b.array());
    }

    /** MiscInfo of 24, 44, 232, 832 or 1364 bytes. */
    public SyntheticDumpBuilder miscInfo(int size, long pid) {
        ByteBuffer b = le(size).putInt(size).putInt(size >= 832 ? 0x103 : 0x3).putInt((int) pid)
                .putInt((int) timestamp - 60).putInt(5).putInt(2);
        if (size >= 832) {
            b.position(232);
            b.put("22621.1.amd64fre".getBytes(StandardCharsets.UTF_16LE));
        }
        return stream(15, b.array());
    }

    /** HandleData, descriptors of 32 (v1) or 40 (v2) bytes. */
    public SyntheticDumpBuilder handles(int descriptorSize, String... types) {
        ByteBuffer b = le(16 + descriptorSize * types.length).putInt(16).putInt(descriptorSize).putInt(types.length)
                .putInt(0);
        for (int i = 0; i < types.length; i++) {
            int at = b.position();
            b.putLong(4L * (i + 1)).putInt(string(types[i])).putInt(0).putInt(0).putInt(0x1f0003).putInt(1).putInt(1);
            b.position(at + descriptorSize);
        }
        return stream(12, b.array());
    }

    public SyntheticDumpBuilder threadNames(long[] ids, String[] names) {
        ByteBuffer b = le(4 + 12 * ids.length).putInt(ids.length);
        for (int i = 0; i < ids.length; i++) {
            b.putInt((int) ids[i]).putLong(string(names[i]));
        }
        return stream(24, b.array());
    }

    public SyntheticDumpBuilder threadInfo(long id, long startAddress) {
        ByteBuffer b = le(12 + 64).putInt(12).putInt(64).putInt(1).putInt((int) id).putInt(0).putInt(0).putInt(0)
                .putLong(132_000_000_000_000_000L).putLong(0).putLong(20_000_000).putLong(30_000_000)
                .putLong(startAddress).putLong(1);
        return stream(17, b.array());
    }

    public SyntheticDumpBuilder unloadedModule(long base, int size, String name) {
        return stream(14, le(12 + 24).putInt(12).putInt(24).putInt(1).putLong(base).putInt(size).putInt(0)
                .putInt(0).putInt(string(name)).array());
    }

    /** MemoryInfoList from (base, size, state, type) rows. */
    public SyntheticDumpBuilder memoryInfo(long[][] rows) {
        ByteBuffer b = le(16 + 48 * rows.length).putInt(16).putInt(48).putLong(rows.length);
        for (long[] r : rows) {
            b.putLong(r[0]).putLong(r[0]).putInt(4).putInt(0).putLong(r[1]).putInt((int) r[2]).putInt(4)
                    .putInt((int) r[3]).putInt(0);
        }
        return stream(16, b.array());
    }

    public SyntheticDumpBuilder breakpadInfo(long dumpThread, long requestingThread) {
        return stream(0x47670001L, le(12).putInt(3).putInt((int) dumpThread).putInt((int) requestingThread).array());
    }

    /**
     * Breakpad's assertion stream (0x47670002, MDRawAssertionInfo): expression, function and file as 128 UTF-16
     * units each, then line and type (1 invalid parameter, 2 pure virtual call).
     */
    public SyntheticDumpBuilder assertion(String expression, String function, String file, int line, int type) {
        ByteBuffer b = le(776);
        for (String s : new String[] {expression, function, file}) {
            int at = b.position();
            b.put(s.getBytes(StandardCharsets.UTF_16LE));
            b.position(at + 256);
        }
        return stream(0x47670002L, b.putInt(line).putInt(type).array());
    }

    public SyntheticDumpBuilder text(long type, String text, boolean utf16) {
        return stream(type, (text + "\0").getBytes(utf16 ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------ layout

    /** Writes the dump; Memory64 data (if any) follows everything else and is left as a hole. */
    public long write(Path path) throws IOException {
        int count = streams.size() + (memory64Ranges.isEmpty() ? 0 : 1);
        int dirRva = 32;
        int dataRva = dirRva + 12 * count;
        ByteBuffer head = le(BLOB_BASE);
        head.put("MDMP".getBytes(StandardCharsets.US_ASCII)).putShort((short) 0xa793).putShort((short) 0)
                .putInt(count).putInt(dirRva).putInt(0).putInt((int) timestamp).putLong(flags);
        int at = dataRva;
        int index = 0;
        for (Stream s : streams) {
            head.putInt(dirRva + 12 * index, (int) s.type()).putInt(dirRva + 12 * index + 4, s.data().length)
                    .putInt(dirRva + 12 * index + 8, at);
            head.put(at, s.data());
            at += (s.data().length + 3) & ~3;
            index++;
        }
        long blobEnd = BLOB_BASE + blobs.position();
        long mem64Base = (blobEnd + 15) & ~15L;
        if (!memory64Ranges.isEmpty()) {
            ByteBuffer l = le(16 + 16 * memory64Ranges.size()).putLong(memory64Ranges.size()).putLong(mem64Base);
            memory64Ranges.forEach(r -> l.putLong(r[0]).putLong(r[1]));
            head.putInt(dirRva + 12 * index, 9).putInt(dirRva + 12 * index + 4, l.capacity())
                    .putInt(dirRva + 12 * index + 8, at);
            head.put(at, l.array());
            at += l.capacity();
        }
        if (at > BLOB_BASE) {
            throw new IllegalStateException("streams exceed " + BLOB_BASE + " bytes; raise BLOB_BASE");
        }
        try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "rw")) {
            f.setLength(0);
            f.write(head.array());
            f.write(blobs.array(), 0, blobs.position());
            long total = memory64Ranges.isEmpty() ? blobEnd : mem64Base + memory64Bytes;
            f.setLength(total);
            if (!memory64Ranges.isEmpty()) {
                f.seek(mem64Base);
                f.write("FIRST".getBytes(StandardCharsets.US_ASCII));
                f.seek(total - 4);
                f.write("LAST".getBytes(StandardCharsets.US_ASCII));
            }
            return total;
        }
    }
}
