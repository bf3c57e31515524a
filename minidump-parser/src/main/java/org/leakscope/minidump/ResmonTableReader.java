package org.leakscope.minidump;

import io.kaitai.struct.ByteBufferKaitaiStream;
import io.kaitai.struct.KaitaiStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Limits;
import org.leakscope.model.Problem;
import org.leakscope.model.ResourceKind;
import org.leakscope.model.SeededHash;

/**
 * Reads a resmon tracking table at a virtual address: the header through the generated
 * {@code resmon_table.ksy} types, then each kind's chunk list and (since 1.1) the module list, following the
 * links through whatever memory holds them. A damaged header is an error; a damaged chunk, module entry or
 * module string is a problem, and the rest of the table is read.
 * Records are grouped by kind and stack as they are read, so a table with millions of live blocks costs one
 * entry per stack.
 */
public final class ResmonTableReader {
    static final int HEADER_BYTES = 576;
    private static final int CHUNK_BYTES = 32;
    private static final long MAX_CHUNK_BYTES = 64L << 20;
    private static final int MAX_CHUNKS = 1_000_000;
    private static final int MAX_EXAMPLES = 1000;
    private static final int MAX_SITES = 100_000;
    private static final String[] KINDS = {"heap", "thread", "sync", "handle"};
    private static final long MAX_MODULE_CHUNK_BYTES = 16L << 20;
    private static final int MAX_MODULE_CHUNKS = 4096;
    private static final long NO_STRING = 0xFFFFFFFFL;
    private static final String[] HEAP = {"?", "malloc", "calloc", "realloc", "posix_memalign", "aligned_alloc",
        "memalign", "valloc", "mmap", "HeapAlloc", "pool", "new", "new[]", "new align", "new[] align"};
    private static final String[] THREAD = {"?", "running", "exited", "detached"};
    private static final String[] SYNC = {"?", "mutex", "cond", "rwlock", "semaphore", "event"};
    private static final String[] HANDLE = {"?", "file", "socket", "pipe", "eventfd", "fd", "file handle"};

    /** Stacks come from the dump: hashed with a seed, so no table can make them all share a bin. */
    record SiteKey(ResourceKind kind, List<Long> frames) {
        @Override
        public int hashCode() {
            return SeededHash.of(kind.ordinal(), SeededHash.of(frames));
        }
    }

    private static final class Site {
        long count;
        long bytes;
        final Set<String> subtypes = new LinkedHashSet<>();
    }

    private final TableMemory memory;
    private final long headerVa;
    private final List<Problem> problems = new ArrayList<>();
    private final Map<SiteKey, Site> sites = new HashMap<>();
    private final List<TableRecord> examples = new ArrayList<>();
    private final List<TableModule> modules = new ArrayList<>();
    private final Limits limits;
    private long live;

    private ResmonTableReader(TableMemory memory, long headerVa, Limits limits) {
        this.memory = memory;
        this.headerVa = headerVa;
        this.limits = limits;
    }

    /**
     * The table whose header is at {@code headerVa}.
     *
     * @throws InputFormatException when the header is not captured or not a valid version-1 header there
     */
    public static TrackingTable read(TableMemory memory, long headerVa) {
        return read(memory, headerVa, Limits.DEFAULT);
    }

    /** As {@link #read(TableMemory, long)}, reading at most {@code limits.maxModules()} modules. */
    public static TrackingTable read(TableMemory memory, long headerVa, Limits limits) {
        return new ResmonTableReader(memory, headerVa, limits).read();
    }

    private TrackingTable read() {
        byte[] hb = memory.readFully(headerVa, HEADER_BYTES);
        if (hb == null) {
            throw error("a resmon table header (" + HEADER_BYTES + " bytes)", "memory not captured");
        }
        ResmonTable.TableHeader h = parse(hb, "the resmon table header", ResmonTable.TableHeader::new);
        if (h.versionMajor() != 1) {
            throw error("resmon table version 1.x", "version " + h.versionMajor() + "."
                    + h.versionMinor());
        }
        if (h.selfVa() != headerVa) {
            throw error("a table header that names this address as its own (self_va)",
                    hex(h.selfVa()) + ": a stale copy, not the live table");
        }
        for (int k = 0; k < 4; k++) {
            walk(k + 1, h.firstChunkVa().get(k));
        }
        // 1.0 kept these bytes reserved: only a 1.1 header's field is a link (the .ksy reads it only then)
        if (h.moduleListVa() != null) {
            modules(h.moduleListVa());
        }
        List<TableSite> out = new ArrayList<>(sites.size());
        for (Map.Entry<SiteKey, Site> e : sites.entrySet()) {
            out.add(new TableSite(e.getKey().kind(), e.getKey().frames(), e.getValue().count, e.getValue().bytes,
                    e.getValue().subtypes));
        }
        out.sort(Comparator.comparingLong(TableSite::bytes).reversed()
                .thenComparing(Comparator.comparingLong(TableSite::count).reversed())
                .thenComparing(s -> s.frames().isEmpty() ? 0L : s.frames().get(0), Long::compareUnsigned)
                .thenComparing(TableSite::kind).thenComparing(TableSite::frames, ResmonTableReader::compareFrames));
        return new TrackingTable(memory.source(), headerVa, h.versionMajor(), h.versionMinor(), (int) h.pointerSize(),
                h.flags(), h.processId(), h.processName(), h.startTimeNs(), h.updateTimeNs(),
                new TrackingTable.TableLimits(h.limitMemoryBytes(), h.limitCpuPercent(), h.limitThreads(),
                        h.limitSyncObjects(), h.intervalMs(), h.limitDiskBytes()),
                new TrackingTable.TableTotals(h.allocatedBytes(), h.freedBytes(), h.liveBytes(), h.peakBytes(),
                        h.allocations(), h.frees(), h.droppedRecords(), h.liveThreads(), h.liveSyncObjects(),
                        h.liveHandles()),
                h.histogram(), out, examples, live, modules, problems);
    }

    /** Follows one kind's chunk list; damage ends the list with a problem. */
    private void walk(int kind, long va) {
        Set<Long> seen = new HashSet<>();
        while (va != 0) {
            String where = KINDS[kind - 1] + " chunk at " + hex(va);
            ResmonTable.ChunkHeader c = chunkHeader(va, where, seen, MAX_CHUNKS, ResmonTable.ChunkHeader::new);
            if (c == null) {
                return;
            }
            if (c.kind() != kind) {
                problem(where + ": a " + KINDS[(int) c.kind() - 1] + " chunk on the " + KINDS[kind - 1] + " list");
                return;
            }
            int size = (int) c.recordSize();
            long bytes = c.used() * size;
            if (c.capacity() * size > MAX_CHUNK_BYTES) {
                problem(where + ": " + c.capacity() + " records of " + size + " bytes is more than a chunk can be");
                return;
            }
            byte[] rb = bytes == 0 ? new byte[0] : memory.readFully(va + CHUNK_BYTES, (int) bytes);
            if (rb == null) {
                problem(where + ": its " + c.used() + " records are not all captured");
            } else {
                records(kind, rb, size, va + CHUNK_BYTES);
            }
            va = c.nextVa();
        }
    }

    /**
     * The header of a list's next chunk, at {@code va}; null, with a problem, where the list ends in damage: a loop
     * (or more than {@code max} chunks), memory not captured, a header that does not parse.
     */
    private <T> T chunkHeader(long va, String where, Set<Long> seen, int max, Function<KaitaiStream, T> ctor) {
        if (!seen.add(va) || seen.size() > max) {
            problem(where + ": the list loops or is longer than " + max + " chunks; stopped there");
            return null;
        }
        byte[] cb = memory.readFully(va, CHUNK_BYTES);
        if (cb == null) {
            problem(where + ": not captured in " + memory.source() + "; the rest of the list is lost");
            return null;
        }
        try {
            return parse(cb, where, ctor);
        } catch (InputFormatException e) {
            problem(e.getMessage());
            return null;
        }
    }

    /** Follows the module list; a damaged chunk ends it with a problem, a damaged entry loses only its strings. */
    private void modules(long va) {
        Set<Long> seen = new HashSet<>();
        while (va != 0) {
            String where = "module chunk at " + hex(va);
            ResmonTable.ModuleChunkHeader c = chunkHeader(va, where, seen, MAX_MODULE_CHUNKS,
                    ResmonTable.ModuleChunkHeader::new);
            if (c == null) {
                return;
            }
            String bad = c.entrySize() < 96 ? "entry_size " + c.entrySize() + " is below the 96 bytes of an entry"
                    : c.used() > c.capacity() ? "used " + c.used() + " is above capacity " + c.capacity()
                    : c.stringUsed() > c.stringBytes() ? "string_used " + c.stringUsed() + " is above string_bytes "
                            + c.stringBytes() : null;
            if (bad != null) {
                problem(where + ": " + bad + "; the rest of the module list is left out");
                return;
            }
            long entrySize = c.entrySize();
            long entriesEnd = c.capacity() * entrySize;
            if (entriesEnd + c.stringBytes() > MAX_MODULE_CHUNK_BYTES) {
                problem(where + ": " + c.capacity() + " entries of " + entrySize + " bytes and " + c.stringBytes()
                        + " bytes of strings is more than a module chunk can be (" + (MAX_MODULE_CHUNK_BYTES >> 20)
                        + " MiB)");
                return;
            }
            if (modules.size() + c.used() > limits.maxModules()) {
                problem(where + ": " + (modules.size() + c.used()) + " modules, more than the "
                        + limits.maxModules() + " a module list may hold; the rest is left out");
                return;
            }
            byte[] eb = c.used() == 0 ? new byte[0] : memory.readFully(va + CHUNK_BYTES, (int) (c.used() * entrySize));
            long stringsVa = va + CHUNK_BYTES + entriesEnd;
            byte[] sb = c.stringUsed() == 0 ? new byte[0] : memory.readFully(stringsVa, (int) c.stringUsed());
            if (eb == null) {
                problem(where + ": its " + c.used() + " entries are not all captured");
            } else {
                if (sb == null) {
                    problem(where + ": its string area (" + c.stringUsed() + " bytes at " + hex(stringsVa)
                            + ") is not captured: its modules have no paths");
                }
                moduleEntries(where, eb, (int) entrySize, sb);
            }
            va = c.nextVa();
        }
    }

    private void moduleEntries(String where, byte[] eb, int entrySize, byte[] strings) {
        KaitaiStream io = new ByteBufferKaitaiStream(eb);
        for (int i = 0; (long) (i + 1) * entrySize <= eb.length; i++) {
            io.seek((long) i * entrySize);
            String entry = where + " entry " + i;
            ResmonTable.ModuleEntry e;
            try {
                e = new ResmonTable.ModuleEntry(io);
            } catch (KaitaiStream.ValidationFailedError x) {
                problem(entry + ": " + x.getMessage());
                continue;
            }
            String path = string(strings, e.ofsPath(), entry + "'s path");
            String debugPath = e.ofsDebugFile() == NO_STRING ? null
                    : string(strings, e.ofsDebugFile(), entry + "'s debug file");
            byte[] id = java.util.Arrays.copyOf(e.id(), e.lenId());
            String debugFile = null;
            String debugId = null;
            // Breakpad's code id of a PE file, as ModuleDecoder spells it: link timestamp then image size, in hex
            String codeId = e.timestamp() == 0 ? null
                    : org.leakscope.model.Hex.digits(e.timestamp(), 8, true) + Long.toHexString(e.size());
            if (e.idKind() == ResmonTable.ModuleIdKind.GNU_BUILD_ID && id.length > 0) {
                debugId = CodeViewIds.elf(id);
                codeId = CodeViewIds.hex(id);
                debugFile = path == null ? null : baseName(path);
            } else if (e.idKind() == ResmonTable.ModuleIdKind.PE_RSDS && id.length == 16) {
                debugId = CodeViewIds.pdb70(id, e.age());
                debugFile = debugPath == null || debugPath.isEmpty() ? null : baseName(debugPath);
            } else if (e.idKind() == ResmonTable.ModuleIdKind.PE_RSDS) {
                problem(entry + ": a CodeView id of " + id.length + " bytes (a GUID is 16); the id is not used");
            }
            modules.add(new TableModule(e.base(), e.size(), path, debugFile, debugId, codeId, e.loadTimeNs(),
                    e.unloadTimeNs()));
        }
    }

    /**
     * The NUL-terminated UTF-8 string at {@code offset} of a string area, or null (and a problem); null without a
     * problem when the area itself was not captured (reported once for its chunk).
     */
    private String string(byte[] area, long offset, String what) {
        if (area == null) {
            return null;
        }
        if (offset >= area.length) {
            problem(what + ": offset " + offset + " is past the end of the string area (" + area.length
                    + " bytes in use)");
            return null;
        }
        int end = (int) offset;
        while (end < area.length && area[end] != 0) {
            end++;
        }
        if (end == area.length) {
            problem(what + ": no NUL between offset " + offset + " and the end of the string area (" + area.length
                    + " bytes in use): unterminated");
            return null;
        }
        return new String(area, (int) offset, end - (int) offset, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String baseName(String path) {
        return new org.leakscope.model.Module(0, 0, path, null, null, null).name();
    }

    private void records(int kind, byte[] rb, int size, long firstVa) {
        KaitaiStream io = new ByteBufferKaitaiStream(rb);
        for (int off = 0; off + size <= rb.length; off += size) {
            io.seek(off);
            ResmonTable.RecordCommon r;
            try {
                r = new ResmonTable.RecordCommon(io);
            } catch (KaitaiStream.ValidationFailedError e) {
                problem(KINDS[kind - 1] + " record at " + hex(firstVa + off) + ": " + e.getMessage());
                continue;
            }
            if (r.state() == 0) {
                continue; // a free slot
            }
            long[] frames = new long[r.depth()];
            for (int i = 0; i < frames.length; i++) {
                frames[i] = r.frames().get(i);
            }
            long sz = 0;
            long tag = 0;
            long threadId = 0;
            long startVa = 0;
            long exit = 0;
            if (kind == 1 && size >= 176) { // a chunk may claim less (160 passes its check): no fields then
                ResmonTable.HeapFields f = new ResmonTable.HeapFields(io);
                sz = f.size();
                tag = f.tag();
            } else if (kind == 2 && size >= 208) {
                ResmonTable.ThreadFields f = new ResmonTable.ThreadFields(io);
                threadId = f.threadId();
                startVa = f.startVa();
                exit = f.exitTimeNs();
            }
            add(kind, r.subtype(), frames, sz, new TableRecord(kindOf(kind, r.subtype()), subtype(kind, r.subtype()),
                    r.handle(), sz, tag, r.creatorTid(), r.timeNs(), boxed(frames), threadId, startVa, exit));
        }
    }

    private void add(int kind, int subtype, long[] frames, long size, TableRecord rec) {
        live++;
        SiteKey key = new SiteKey(rec.kind(), boxed(frames));
        Site s = sites.get(key);
        if (s == null) {
            if (sites.size() >= MAX_SITES) {
                key = new SiteKey(rec.kind(), List.of());
            }
            s = sites.computeIfAbsent(key, k -> new Site());
        }
        s.count++;
        s.bytes += size;
        if (s.subtypes.size() < 8) {
            s.subtypes.add(rec.subtype());
        }
        if (examples.size() < MAX_EXAMPLES) {
            examples.add(rec);
        }
    }

    private static ResourceKind kindOf(int kind, int subtype) {
        return switch (kind) {
            case 1 -> subtype == 10 ? ResourceKind.POOL_BLOCK : ResourceKind.HEAP_BLOCK;
            case 2 -> ResourceKind.THREAD;
            case 3 -> ResourceKind.SYNC_OBJECT;
            default -> subtype == 6 ? ResourceKind.HANDLE : ResourceKind.FILE_DESCRIPTOR;
        };
    }

    private static String subtype(int kind, int subtype) {
        String[] names = switch (kind) {
            case 1 -> HEAP;
            case 2 -> THREAD;
            case 3 -> SYNC;
            default -> HANDLE;
        };
        return subtype > 0 && subtype < names.length ? names[subtype] : "subtype " + subtype;
    }

    /** Stacks frame by frame (unsigned), shorter first on a common prefix: sites tie-broken the same every run. */
    private static int compareFrames(List<Long> a, List<Long> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = Long.compareUnsigned(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static List<Long> boxed(long[] a) {
        List<Long> l = new ArrayList<>(a.length);
        for (long v : a) {
            l.add(v);
        }
        return l;
    }

    private <T> T parse(byte[] bytes, String what, Function<KaitaiStream, T> ctor) {
        try {
            return ctor.apply(new ByteBufferKaitaiStream(bytes));
        } catch (KaitaiStream.ValidationFailedError e) {
            throw error(what + " as docs/formats/resmon-table.md describes it", String.valueOf(e.getMessage()));
        } catch (RuntimeException e) {
            throw error(what, "undecodable data: " + e);
        }
    }

    private InputFormatException error(String expected, String found) {
        return InputFormatException.atAddress(memory.source(), headerVa, expected, found);
    }

    private void problem(String message) {
        problems.add(new Problem(memory.source(), null, null, memory.source() + ": resmon table at " + hex(headerVa)
                + ": " + message));
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
