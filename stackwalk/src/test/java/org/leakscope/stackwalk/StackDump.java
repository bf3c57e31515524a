package org.leakscope.stackwalk;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a small Linux amd64 (or arm64, or Windows amd64) minidump for walker tests: one thread with a given stack
 * and registers, one module with an RSDS debug identity ({@link #DEBUG_ID}, debug file {@code app.pdb}), and any
 * other captured memory (code, a module's image) in a MemoryList. Laid out by hand from the format's
 * documentation, not with the reader's code, so a reader bug cannot cancel out.
 */
final class StackDump {
    static final String DEBUG_ID = "111111112222333344444444444444441";
    static final String DEBUG_FILE = "app.pdb";
    static final long MODULE_BASE = 0x400000;
    static final int MODULE_SIZE = 0x10000;

    private long rip;
    private long rsp;
    private long rbp;
    private long lr;
    private boolean arm64;
    private boolean stackInMemoryList;
    private long stackBase;
    private byte[] stack = new byte[0];
    private boolean windows;
    private int moduleSize = MODULE_SIZE;
    private int moduleTimeDateStamp;
    private final java.util.List<Long> rangeAddresses = new java.util.ArrayList<>();
    private final java.util.List<byte[]> rangeBytes = new java.util.ArrayList<>();

    StackDump registers(long rip, long rsp, long rbp) {
        this.rip = rip;
        this.rsp = rsp;
        this.rbp = rbp;
        return this;
    }

    /** An arm64 dump instead: pc, sp, fp and lr (x29, x30). */
    StackDump arm64(long pc, long sp, long fp, long lr) {
        registers(pc, sp, fp);
        this.lr = lr;
        this.arm64 = true;
        return this;
    }

    /** The captured stack, little-endian words from {@code base}. */
    StackDump stack(long base, long... words) {
        ByteBuffer b = ByteBuffer.allocate(words.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long w : words) {
            b.putLong(w);
        }
        return stack(base, b.array());
    }

    /** The stack only in a MemoryList range, the thread's descriptor pointing at RVA 0 (its size still given). */
    StackDump stackInMemoryListOnly() {
        this.stackInMemoryList = true;
        return this;
    }

    /** A Windows dump (platform VER_PLATFORM_WIN32_NT) instead of a Linux one. */
    StackDump windows() {
        this.windows = true;
        return this;
    }

    /** The module list's SizeOfImage and TimeDateStamp for the module (default {@link #MODULE_SIZE} and 0). */
    StackDump module(int size, int timeDateStamp) {
        this.moduleSize = size;
        this.moduleTimeDateStamp = timeDateStamp;
        return this;
    }

    /** More captured memory: a MemoryList range of these bytes at {@code address}. */
    StackDump memory(long address, byte[] bytes) {
        rangeAddresses.add(address);
        rangeBytes.add(bytes);
        return this;
    }

    StackDump stack(long base, byte[] bytes) {
        this.stackBase = base;
        this.stack = bytes;
        return this;
    }

    Path write(Path file) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int ranges = rangeBytes.size() + (stackInMemoryList ? 1 : 0);
        int streams = ranges > 0 ? 4 : 3;
        int dirRva = 32;
        int sysRva = dirRva + streams * 12;
        int threadRva = sysRva + 56;
        int moduleRva = threadRva + 4 + 48;
        int nameRva = moduleRva + 4 + 108;
        byte[] name = "/app/app".getBytes(StandardCharsets.UTF_16LE);
        int cvRva = align(nameRva + 4 + name.length + 2);
        byte[] pdb = (DEBUG_FILE + "\0").getBytes(StandardCharsets.US_ASCII);
        int cvSize = 4 + 16 + 4 + pdb.length;
        int contextRva = align(cvRva + cvSize);
        int contextSize = arm64 ? 912 : 1232;
        int stackRva = contextRva + contextSize;

        ByteBuffer h = le(32).putInt(0x504d444d).putInt(0xa793).putInt(streams).putInt(dirRva).putInt(0).putInt(0)
                .putLong(0);
        out.write(h.array());
        ByteBuffer dir = le(streams * 12);
        dir.putInt(7).putInt(56).putInt(sysRva); // SystemInfo
        dir.putInt(3).putInt(4 + 48).putInt(threadRva); // ThreadList
        dir.putInt(4).putInt(4 + 108).putInt(moduleRva); // ModuleList
        int rangesRva = stackRva + stack.length;
        int rangesSize = 0;
        for (byte[] b : rangeBytes) {
            rangesSize += b.length;
        }
        int memoryListRva = rangesRva + rangesSize;
        if (ranges > 0) {
            dir.putInt(5).putInt(4 + 16 * ranges).putInt(memoryListRva); // MemoryList
        }
        out.write(dir.array());
        // SystemInfo: amd64 (9) or arm64 (12), Linux (Breakpad's platform id 0x8201) or Windows NT (2)
        out.write(le(56).putShort((short) (arm64 ? 12 : 9)).putShort((short) 6).putShort((short) 0).put((byte) 1)
                .put((byte) 1).putInt(0).putInt(0).putInt(0).putInt(windows ? 2 : 0x8201).array());
        ByteBuffer threads = le(4 + 48).putInt(1);
        threads.putInt(0x77).putInt(0).putInt(0).putInt(0).putLong(0);
        threads.putLong(stackBase).putInt(stack.length).putInt(stack.length == 0 || stackInMemoryList ? 0 : stackRva);
        threads.putInt(contextSize).putInt(contextRva);
        out.write(threads.array());
        ByteBuffer modules = le(4 + 108).putInt(1);
        modules.putLong(MODULE_BASE).putInt(moduleSize).putInt(0).putInt(moduleTimeDateStamp).putInt(nameRva);
        modules.position(modules.position() + 52); // VS_FIXEDFILEINFO: none
        modules.putInt(cvSize).putInt(cvRva).putInt(0).putInt(0).putLong(0).putLong(0);
        out.write(modules.array());
        out.write(le(4).putInt(name.length).array());
        out.write(name);
        out.write(new byte[2]);
        pad(out, cvRva);
        ByteBuffer cv = le(cvSize).putInt(0x53445352).putInt(0x11111111).putShort((short) 0x2222)
                .putShort((short) 0x3333);
        for (int i = 0; i < 8; i++) {
            cv.put((byte) 0x44);
        }
        cv.putInt(1).put(pdb);
        out.write(cv.array());
        pad(out, contextRva);
        ByteBuffer c = le(contextSize);
        if (arm64) { // ContextFlags, then x0..x28 from 8, fp 0xf0, lr 0xf8, sp 0x100, pc 0x108
            c.putInt(0, 0x400003).putLong(0xf0, rbp).putLong(0xf8, lr).putLong(0x100, rsp).putLong(0x108, rip);
        } else {
            c.putInt(0x30, 0x10000b).putLong(0x98, rsp).putLong(0xa0, rbp).putLong(0xf8, rip);
        }
        out.write(c.array());
        out.write(stack);
        for (byte[] b : rangeBytes) {
            out.write(b);
        }
        if (ranges > 0) {
            ByteBuffer list = le(4 + 16 * ranges).putInt(ranges);
            if (stackInMemoryList) {
                list.putLong(stackBase).putInt(stack.length).putInt(stackRva);
            }
            int at = rangesRva;
            for (int i = 0; i < rangeBytes.size(); i++) {
                list.putLong(rangeAddresses.get(i)).putInt(rangeBytes.get(i).length).putInt(at);
                at += rangeBytes.get(i).length;
            }
            out.write(list.array());
        }
        Files.write(file, out.toByteArray());
        return file;
    }

    /** A symbol store holding {@code app.sym} with these records after its MODULE line; returns the store root. */
    static Path symbols(Path root, String... records) throws IOException {
        Path dir = root.resolve(DEBUG_FILE).resolve(DEBUG_ID);
        Files.createDirectories(dir);
        StringBuilder s = new StringBuilder("MODULE Linux x86_64 " + DEBUG_ID + " " + DEBUG_FILE + "\n");
        for (String r : records) {
            s.append(r).append('\n');
        }
        Files.writeString(dir.resolve("app.sym"), s.toString());
        return root;
    }

    private static int align(int n) {
        return (n + 7) & ~7;
    }

    private static void pad(ByteArrayOutputStream out, int to) {
        while (out.size() < to) {
            out.write(0);
        }
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }
}
