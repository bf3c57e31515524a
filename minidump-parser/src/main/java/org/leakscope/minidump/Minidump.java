package org.leakscope.minidump;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Limits;
import org.leakscope.model.ModuleMap;
import org.leakscope.model.Problem;

/**
 * An open minidump. {@link #open} reads the header and directory; every other accessor parses its stream on
 * first call and caches the result. Optional streams that are missing or damaged return empty and leave a
 * {@link Problem}; only a damaged header or directory throws {@link InputFormatException}.
 *
 * <p>Not thread-safe: one dump, one thread.
 */
public final class Minidump implements AutoCloseable {
    private static final int HEADER_SIZE = 32;
    private static final int DIR_ENTRY_SIZE = 12;

    private final DumpFile file;
    private final Limits limits;
    private final Header header;
    private final List<StreamEntry> streams;
    private final List<Problem> problems = new ArrayList<>();
    private final Map<String, Optional<?>> cache = new HashMap<>();

    private Minidump(DumpFile file, Limits limits) {
        this.file = file;
        this.limits = limits;
        this.header = readHeader();
        this.streams = readDirectory();
    }

    public static Minidump open(Path path) throws IOException {
        return open(path, Limits.DEFAULT);
    }

    /**
     * Opens a dump, reading only its header and directory.
     *
     * @throws InputFormatException when the header or directory is damaged
     * @throws FileSystemException  when the path is a directory ("expected a file, found a directory")
     * @throws IOException          when the file cannot be read at all
     */
    public static Minidump open(Path path, Limits limits) throws IOException {
        if (Files.isDirectory(path)) {
            // Linux lets a directory be opened for reading; the first read would fail with "Is a directory".
            throw new FileSystemException(path.toString(), null, "expected a file, found a directory");
        }
        DumpFile file;
        try {
            file = new DumpFile(path);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(path.toString(), null, "no such file");
        }
        try {
            return new Minidump(file, limits);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    private Header readHeader() {
        if (file.size() < HEADER_SIZE) {
            String found = file.size() == 0 ? "an empty file" : "a " + file.size() + "-byte file";
            if (file.size() >= 4) {
                byte[] magic = file.read(0, 4, "signature");
                if (!new String(magic, java.nio.charset.StandardCharsets.ISO_8859_1).equals("MDMP")) {
                    found = "signature " + printable(magic);
                }
            }
            throw InputFormatException.atOffset(file.name(), 0, "a 32-byte minidump header starting 'MDMP'", found);
        }
        byte[] bytes = file.read(0, HEADER_SIZE, "minidump header");
        if (bytes[0] != 'M' || bytes[1] != 'D' || bytes[2] != 'M' || bytes[3] != 'P') {
            throw InputFormatException.atOffset(file.name(), 0, "minidump signature 'MDMP'",
                    printable(java.util.Arrays.copyOf(bytes, 4)) + " (not a minidump)");
        }
        MinidumpFile.Header h = StructReader.parse(file, 0, bytes, "minidump header", MinidumpFile.Header::new);
        long signature = (bytes[0] & 0xffL) | (bytes[1] & 0xffL) << 8 | (bytes[2] & 0xffL) << 16 | (bytes[3] & 0xffL) << 24;
        return new Header(signature, h.version(), h.implementationVersion(), h.numStreams(), h.ofsStreams(), h.checksum(),
                Instant.ofEpochSecond(h.timeDateStamp()), h.flags());
    }

    private List<StreamEntry> readDirectory() {
        long count = header.streamCount();
        if (count > limits.maxStreams()) {
            throw InputFormatException.atOffset(file.name(), 8,
                    "a stream count of at most " + limits.maxStreams(), String.valueOf(count));
        }
        long bytes = count * DIR_ENTRY_SIZE;
        if (!file.contains(header.directoryOffset(), bytes)) {
            throw InputFormatException.atOffset(file.name(), 12,
                    "a stream directory of " + count + " entries (" + bytes + " bytes) inside the "
                            + file.size() + "-byte file",
                    "directory offset " + header.directoryOffset());
        }
        byte[] raw = file.read(header.directoryOffset(), (int) bytes, "stream directory");
        MinidumpFile.Directory dir = StructReader.parse(file, header.directoryOffset(), raw, "stream directory",
                io -> new MinidumpFile.Directory(io, null, null, count));
        List<StreamEntry> out = new ArrayList<>();
        int i = 0;
        for (MinidumpFile.DirEntry e : dir.entries()) {
            StreamEntry entry = new StreamEntry(i, e.streamType(), StreamKind.of(e.streamType()),
                    e.location().lenData(), e.location().ofsData());
            // Checked here, once, so a stream that points outside the file is a warning even if nobody reads it.
            if (entry.kind() != StreamKind.UNUSED && !file.contains(entry.offset(), entry.size())) {
                problems.add(Problem.atOffset(file.name(), header.directoryOffset() + (long) i * DIR_ENTRY_SIZE,
                        file.name() + ": directory entry " + i + " (" + entry.label() + ", type 0x"
                                + Long.toHexString(entry.type()) + ") claims " + entry.size() + " bytes at offset "
                                + entry.offset() + ", past the end of the " + file.size() + "-byte file"));
            }
            out.add(entry);
            i++;
        }
        return Collections.unmodifiableList(out);
    }

    private static String printable(byte[] b) {
        StringBuilder sb = new StringBuilder("'");
        for (byte x : b) {
            sb.append(x >= 0x20 && x < 0x7f ? Character.toString(x) : String.format("\\x%02x", x & 0xff));
        }
        return sb.append('\'').toString();
    }

    // ------------------------------------------------------------------ basics

    public String source() {
        return file.name();
    }

    public long fileSize() {
        return file.size();
    }

    public Limits limits() {
        return limits;
    }

    public Header header() {
        return header;
    }

    /** Every directory entry in file order, including unused and unknown ones. */
    public List<StreamEntry> streams() {
        return streams;
    }

    /** Damage found so far in optional streams; grows as streams are parsed. */
    public List<Problem> problems() {
        return Collections.unmodifiableList(problems);
    }

    /** The first directory entry of a kind. */
    public Optional<StreamEntry> stream(StreamKind kind) {
        return streams.stream().filter(s -> s.kind() == kind).findFirst();
    }

    /** A stream's bytes, bounded by {@link Limits#maxStreamBytes()}; for unknown and user streams. */
    public byte[] rawStream(StreamEntry entry) {
        if (entry.size() > limits.maxStreamBytes()) {
            throw InputFormatException.atOffset(file.name(), entry.offset(),
                    entry.label() + " of at most " + limits.maxStreamBytes() + " bytes",
                    entry.size() + " bytes");
        }
        return file.read(entry.offset(), (int) entry.size(), entry.label());
    }

    // ------------------------------------------------------------------ typed streams

    /** Parses the first stream of a kind with a decoder, caching the result; damage becomes a problem. */
    <T> Optional<T> cached(StreamKind kind, Function<StreamEntry, T> decoder) {
        return cached("typed", kind, decoder);
    }

    /**
     * As {@link #cached(StreamKind, Function)}, keyed by {@code view} too: one stream decoded two ways (the typed
     * accessor and {@link #text}) must not share a cache entry, or the second caller gets the first's type.
     */
    @SuppressWarnings("unchecked")
    private <T> Optional<T> cached(String view, StreamKind kind, Function<StreamEntry, T> decoder) {
        String key = view + ":" + kind.name();
        Optional<?> hit = cache.get(key);
        if (hit != null) {
            return (Optional<T>) hit;
        }
        Optional<T> result = Optional.empty();
        Optional<StreamEntry> entry = stream(kind);
        if (entry.isPresent()) {
            try {
                result = Optional.ofNullable(decoder.apply(entry.get()));
            } catch (InputFormatException e) {
                problems.add(Problem.of(e));
            }
        }
        cache.put(key, result);
        return result;
    }

    /** Runs a generated parser over a stream's bytes. */
    <T> T parseStream(StreamEntry entry, Function<io.kaitai.struct.KaitaiStream, T> ctor) {
        return StructReader.parse(file, entry.offset(), rawStream(entry), entry.label(), ctor);
    }

    DumpFile file() {
        return file;
    }

    void addProblem(Problem p) {
        problems.add(p);
    }

    public Optional<List<DumpThread>> threads() {
        return cached(StreamKind.THREAD_LIST, e -> {
            MinidumpFile.ThreadList t = parseStream(e, MinidumpFile.ThreadList::new);
            checkCount(e, t.numThreads(), limits.maxThreads(), "threads");
            return t.threads().stream().map(x -> DumpThread.from(x, this)).toList();
        });
    }

    public Optional<List<DumpModule>> modules() {
        return cached(StreamKind.MODULE_LIST, e -> {
            MinidumpFile.ModuleList m = parseStream(e, MinidumpFile.ModuleList::new);
            checkCount(e, m.numModules(), limits.maxModules(), "modules");
            ModuleDecoder decoder = new ModuleDecoder(this);
            List<DumpModule> decoded = m.modules().stream().map(decoder::decode).toList();
            Optional<String> maps;
            try {
                maps = text(StreamKind.LINUX_MAPS);
            } catch (InputFormatException bad) {
                maps = Optional.empty(); // the sizes as recorded; the damaged stream is reported where it is read
            }
            return maps.map(t -> LinuxModuleExtents.extend(decoded, t)).orElse(decoded);
        });
    }

    /** The modules as a common-model map (empty without a ModuleList). */
    public ModuleMap moduleMap() {
        return ModuleMap.of(modules().orElse(List.of()).stream().map(DumpModule::module).toList());
    }

    public Optional<List<UnloadedModule>> unloadedModules() {
        return cached(StreamKind.UNLOADED_MODULE_LIST, e -> {
            MinidumpFile.UnloadedModuleList m = parseStream(e, MinidumpFile.UnloadedModuleList::new);
            checkCount(e, m.numEntries(), limits.maxModules(), "unloaded modules");
            return m.entries().stream().map(u -> new UnloadedModule(address(u.addrBase()), u.lenImage(), u.checksum(),
                    u.timeDateStamp() == 0 ? null : Instant.ofEpochSecond(u.timeDateStamp()),
                    stringAt(u.ofsName(), "unloaded module name"))).toList();
        });
    }

    public Optional<List<ThreadDetails>> threadDetails() {
        return cached(StreamKind.THREAD_INFO_LIST, e -> {
            MinidumpFile.ThreadInfoList l = parseStream(e, MinidumpFile.ThreadInfoList::new);
            checkCount(e, l.numEntries(), limits.maxThreads(), "thread infos");
            return l.entries().stream().map(t -> new ThreadDetails(t.threadId(), t.dumpFlags(), t.dumpError(),
                    t.exitStatus(), FileTime.toInstant(t.createTime()), FileTime.toInstant(t.exitTime()),
                    t.kernelTime(), t.userTime(), address(t.startAddress()), t.affinity())).toList();
        });
    }

    public Optional<List<ThreadName>> threadNames() {
        return cached(StreamKind.THREAD_NAMES, e -> {
            MinidumpFile.ThreadNameList l = parseStream(e, MinidumpFile.ThreadNameList::new);
            checkCount(e, l.numNames(), limits.maxThreads(), "thread names");
            return l.names().stream()
                    .map(n -> new ThreadName(n.threadId(), stringAt(n.ofsName(), "thread name"))).toList();
        });
    }

    /** Thread id → name, from ThreadNames; empty when the stream is absent. */
    public Map<Long, String> threadNameMap() {
        Map<Long, String> m = new HashMap<>();
        threadNames().orElse(List.of()).forEach(n -> m.put(n.threadId(), n.name()));
        return m;
    }

    public Optional<ExceptionInfo> exception() {
        return cached(StreamKind.EXCEPTION, e -> {
            MinidumpFile.ExceptionStream x = parseStream(e, MinidumpFile.ExceptionStream::new);
            MinidumpFile.ExceptionRecord r = x.record();
            int n = (int) Math.min(Math.max(r.numParams(), 0), 15);
            // ExceptionInformation holds ULONG_PTRs: 32-bit writers sign-extend them into the 64-bit slots.
            List<Long> params = r.params().subList(0, n).stream().map(this::address).toList();
            SystemInfo system = systemInfo().orElse(null);
            long crashAddress = ExceptionCodes.hasDataAddress(r.code(), system) && params.size() >= 2
                    ? params.get(1) : address(r.addrException());
            return new ExceptionInfo(x.threadId(), r.code(), ExceptionCodes.name(r.code(), r.flags(), params, system),
                    r.flags(), ExceptionCodes.flagNames(r.flags(), system), address(r.addrException()), crashAddress,
                    params, x.threadContext().lenData(), x.threadContext().ofsData());
        });
    }

    public Optional<SystemInfo> systemInfo() {
        return cached(StreamKind.SYSTEM_INFO, e -> SystemInfoDecoder.decode(this,
                parseStream(e, MinidumpFile.SystemInfo::new)));
    }

    public Optional<MiscInfo> miscInfo() {
        return cached(StreamKind.MISC_INFO, e -> MiscInfoDecoder.decode(parseStream(e, MinidumpFile.MiscInfo::new),
                e.size()));
    }

    public Optional<List<HandleInfo>> handles() {
        return cached(StreamKind.HANDLE_DATA, e -> {
            MinidumpFile.HandleData h = parseStream(e, MinidumpFile.HandleData::new);
            checkCount(e, h.numDescriptors(), limits.maxHandles(), "handles");
            Map<Long, String> names = new HashMap<>(); // type names repeat: read each RVA once
            return h.descriptors().stream().map(d -> new HandleInfo(d.handle(),
                    names.computeIfAbsent(d.ofsTypeName(), rva -> stringAt(rva, "handle type name")),
                    stringAt(d.ofsObjectName(), "handle object name"), d.attributes(), d.grantedAccess(),
                    d.handleCount(), d.pointerCount())).toList();
        });
    }

    public Optional<List<MemoryRange>> memoryList() {
        return cached(StreamKind.MEMORY_LIST, e -> {
            MinidumpFile.MemoryList m = parseStream(e, MinidumpFile.MemoryList::new);
            checkCount(e, m.numRanges(), limits.maxMemoryRanges(), "memory ranges");
            return m.ranges().stream().map(r -> new MemoryRange(address(r.addrMemoryRange()), r.memory().lenData(),
                    r.memory().ofsData())).toList();
        });
    }

    public Optional<List<MemoryRange>> memory64List() {
        return cached(StreamKind.MEMORY64_LIST, e -> {
            MinidumpFile.Memory64List m = parseStream(e, MinidumpFile.Memory64List::new);
            checkCount(e, m.numRanges(), limits.maxMemoryRanges(), "memory ranges");
            List<MemoryRange> out = new ArrayList<>();
            long offset = m.ofsBase();
            for (MinidumpFile.MemoryDescriptor64 r : m.ranges()) {
                out.add(new MemoryRange(address(r.addrMemoryRange()), r.lenData(), offset));
                offset += r.lenData();
            }
            return List.copyOf(out);
        });
    }

    public Optional<List<MemoryRegion>> memoryRegions() {
        return cached(StreamKind.MEMORY_INFO_LIST, e -> {
            MinidumpFile.MemoryInfoList m = parseStream(e, MinidumpFile.MemoryInfoList::new);
            checkCount(e, m.numEntries(), limits.maxMemoryRanges(), "memory regions");
            return m.entries().stream().map(r -> MemoryRegions.from(r, this)).toList();
        });
    }

    /** Captured memory from MemoryList and Memory64List, read on demand. */
    public VirtualMemory memory() {
        if (virtualMemory == null) {
            List<MemoryRange> all = new ArrayList<>(memoryList().orElse(List.of()));
            all.addAll(memory64List().orElse(List.of()));
            virtualMemory = new VirtualMemory(file, all);
        }
        return virtualMemory;
    }

    private VirtualMemory virtualMemory;

    public Optional<BreakpadInfo> breakpadInfo() {
        return cached(StreamKind.BREAKPAD_INFO, e -> {
            MinidumpFile.BreakpadInfo b = parseStream(e, MinidumpFile.BreakpadInfo::new);
            return new BreakpadInfo((b.validity() & 1) != 0 ? b.dumpThreadId() : null,
                    (b.validity() & 2) != 0 ? b.requestingThreadId() : null);
        });
    }

    public Optional<AssertionInfo> assertionInfo() {
        return cached(StreamKind.BREAKPAD_ASSERTION_INFO, e -> {
            MinidumpFile.AssertionInfo a = parseStream(e, MinidumpFile.AssertionInfo::new);
            return new AssertionInfo(a.expression(), a.function(), a.file(), a.line(), a.type());
        });
    }

    public Optional<CrashpadInfo> crashpadInfo() {
        return cached(StreamKind.CRASHPAD_INFO, e -> {
            MinidumpFile.CrashpadInfo c = parseStream(e, MinidumpFile.CrashpadInfo::new);
            return new CrashpadInfo(c.version(), CodeViewIds.hex(c.reportId()), CodeViewIds.hex(c.clientId()));
        });
    }

    public Optional<DsoDebug> dsoDebug() {
        return cached(StreamKind.LINUX_DSO_DEBUG, e -> {
            MinidumpFile.LinuxDsoDebug d = parseStream(e, MinidumpFile.LinuxDsoDebug::new);
            return new DsoDebug(d.version(), d.ofsMap(), d.numDsos(), d.addrBrk(), d.addrLdbase(), d.addrDynamic());
        });
    }

    /**
     * A text stream (comment, Linux cpuinfo, status, lsb-release, maps, cmdline, environ) decoded as text:
     * CommentStreamW as UTF-16LE, the rest as UTF-8, NUL separators turned into newlines, trailing NULs cut.
     */
    public Optional<String> text(StreamKind kind) {
        return cached("text", kind, e -> TextStreams.decode(kind, rawStream(e)));
    }

    /** LinuxAuxv as (type, value) pairs of the dump's pointer size. */
    public Optional<List<long[]>> auxv() {
        int ptr = systemInfo().map(SystemInfo::pointerSize).orElse(8);
        return cached(StreamKind.LINUX_AUXV, e -> TextStreams.auxv(rawStream(e), ptr));
    }

    /**
     * Every field of a stream as the .ksy read it (maps, lists, numbers, strings, byte arrays), for
     * {@code --raw}; empty for streams without a structure in the .ksy. Throws on damage.
     */
    public Optional<Map<String, Object>> rawFields(StreamEntry entry) {
        if (!RawFields.isStructured(entry.kind())) {
            return Optional.empty();
        }
        return Optional.of(RawFields.of(this, entry));
    }

    /** Decodes a thread's registers from its CONTEXT; empty when absent or damaged (recorded as a problem). */
    public Optional<CpuContext> context(long size, long offset) {
        if (size == 0) {
            return Optional.empty();
        }
        try {
            String cpu = systemInfo().map(SystemInfo::cpu).orElse(null);
            return Optional.of(ContextDecoder.decode(file, offset, size, cpu));
        } catch (InputFormatException e) {
            problems.add(Problem.of(e));
            return Optional.empty();
        }
    }

    public Optional<CpuContext> context(DumpThread t) {
        return context(t.contextSize(), t.contextOffset());
    }

    /** The most stack bytes read for one thread: real stacks are at most a few MB (Windows' default is 1 MB). */
    public static final int MAX_STACK_BYTES = 32 * 1024 * 1024;

    /**
     * The bytes of a thread's captured stack, from {@code stackStart}, as its own descriptor points to them; empty
     * when the thread has none or they lie outside the file. At most {@link #MAX_STACK_BYTES} are read. An RVA
     * of 0 points at the header, not at a stack (writers that keep stacks only in Memory64List leave it so).
     */
    public Optional<byte[]> stackBytes(DumpThread t) {
        long n = Math.min(t.stackSize(), MAX_STACK_BYTES);
        if (n <= 0 || t.stackOffset() == 0 || !file.contains(t.stackOffset(), n)) {
            return Optional.empty();
        }
        return Optional.of(file.read(t.stackOffset(), (int) n, "stack of thread " + t.id()));
    }

    /**
     * An address as the process saw it: cut to 32 bits for a 32-bit process, whose writer may have sign-extended
     * it into a 64-bit field (Breakpad's minidump_32bit_crash_addr.dmp records 0x45 as 0xffffffff00000045).
     * Unchanged when the dump has no SystemInfo to say the pointer size.
     */
    long address(long raw) {
        if (pointerSize == 0) {
            pointerSize = systemInfo().map(SystemInfo::pointerSize).orElse(8);
        }
        return pointerSize == 4 ? raw & 0xffffffffL : raw;
    }

    private int pointerSize;

    /** The MINIDUMP_STRING at an RVA; null for RVA 0 or damage (recorded as a problem). */
    String stringAt(long rva, String what) {
        if (rva == 0) {
            return null;
        }
        try {
            // The length prefix first: reading the whole limit for every module name zeroed and copied 64 KiB each.
            byte[] prefix = file.readAtMost(rva, 4, what);
            long length = prefix.length < 4 ? 0 : (prefix[0] & 0xffL) | (prefix[1] & 0xffL) << 8
                    | (prefix[2] & 0xffL) << 16 | (prefix[3] & 0xffL) << 24;
            byte[] bytes = file.readAtMost(rva, 4 + (int) Math.min(length, limits.maxStringBytes()), what);
            MinidumpFile.MinidumpString s = StructReader.parse(file, rva, bytes, what, MinidumpFile.MinidumpString::new);
            return Utf16.decode(s.data());
        } catch (InputFormatException e) {
            problems.add(Problem.of(e));
            return null;
        }
    }

    private void checkCount(StreamEntry e, long count, int limit, String what) {
        if (count > limit) {
            throw InputFormatException.atOffset(file.name(), e.offset(), "at most " + limit + " " + what,
                    count + " " + what);
        }
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
