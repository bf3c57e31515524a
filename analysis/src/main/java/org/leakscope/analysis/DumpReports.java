package org.leakscope.analysis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.leakscope.analysis.DumpJson.AddressSpaceJson;
import org.leakscope.analysis.DumpJson.AssertionJson;
import org.leakscope.analysis.DumpJson.ExceptionJson;
import org.leakscope.analysis.DumpJson.HandleTypeJson;
import org.leakscope.analysis.DumpJson.HandlesJson;
import org.leakscope.analysis.DumpJson.HeaderJson;
import org.leakscope.analysis.DumpJson.MemoryJson;
import org.leakscope.analysis.DumpJson.ModuleJson;
import org.leakscope.analysis.DumpJson.ProblemJson;
import org.leakscope.analysis.DumpJson.ProcessJson;
import org.leakscope.analysis.DumpJson.RegionJson;
import org.leakscope.analysis.DumpJson.StreamJson;
import org.leakscope.analysis.DumpJson.SystemJson;
import org.leakscope.analysis.DumpJson.ThreadJson;
import org.leakscope.analysis.DumpJson.UnloadedModuleJson;
import org.leakscope.minidump.AddressSpace;
import org.leakscope.minidump.BreakpadInfo;
import org.leakscope.minidump.CpuContext;
import org.leakscope.minidump.DumpModule;
import org.leakscope.minidump.DumpThread;
import org.leakscope.minidump.ExceptionInfo;
import org.leakscope.minidump.HandleInfo;
import org.leakscope.minidump.Header;
import org.leakscope.minidump.MemoryRange;
import org.leakscope.minidump.MemoryRegion;
import org.leakscope.minidump.Minidump;
import org.leakscope.minidump.MiscInfo;
import org.leakscope.minidump.StreamEntry;
import org.leakscope.minidump.StreamKind;
import org.leakscope.minidump.SystemInfo;
import org.leakscope.minidump.ThreadDetails;
import org.leakscope.diff.CrashSignature;
import org.leakscope.diff.ThreadWait;
import org.leakscope.model.Frame;
import org.leakscope.model.Hex;
import org.leakscope.model.ModuleMap;
import org.leakscope.stackwalk.StackFrame;
import org.leakscope.stackwalk.ThreadStack;
import org.leakscope.symbols.SymbolOrigin;
import org.leakscope.symbols.SymbolStore;

/**
 * The dump-report operation: the dumpscan report (exception, threads, modules, memory, handles, streams) of an
 * open dump, as the records {@code leakscope.dumpscan/2} writes. Text output is rendered from the same records,
 * so the two never disagree.
 */
public final class DumpReports {
    private static final int TOP_FREE_REGIONS = 5;

    private static final String[] FLAG_NAMES = {"WithDataSegs", "WithFullMemory", "WithHandleData",
        "FilterMemory", "ScanMemory", "WithUnloadedModules", "WithIndirectlyReferencedMemory",
        "FilterModulePaths", "WithProcessThreadData", "WithPrivateReadWriteMemory", "WithoutOptionalData",
        "WithFullMemoryInfo", "WithThreadInfo", "WithCodeSegs", "WithoutAuxiliaryState",
        "WithFullAuxiliaryState", "WithPrivateWriteCopyMemory", "IgnoreInaccessibleMemory",
        "WithTokenInformation", "WithModuleHeaders", "FilterTriage", "WithAvxXStateContext", "WithIptTrace",
        "ScanInaccessiblePartialPages", "FilterWriteCombinedMemory"};

    private final SymbolStore symbols;

    /** @param symbols names the crash and thread frames (its problems are the caller's to report) */
    public DumpReports(SymbolStore symbols) {
        this.symbols = symbols;
    }

    /** The report of one dump without stack walks ({@link StackOptions#NONE}). */
    public DumpJson build(Minidump dump) {
        return build(dump, StackOptions.NONE);
    }

    /**
     * The report of one dump, with the stacks of the threads {@code stacks} asks for walked; damage it records is in
     * {@link DumpJson#problems()} (and on the dump).
     */
    public DumpJson build(Minidump dump, StackOptions stacks) {
        ModuleMap modules = dump.moduleMap(); // first, as before: streams parse (and record damage) in this order
        Optional<SystemInfo> sys = dump.systemInfo();
        int ptr = sys.map(SystemInfo::pointerSize).orElseGet(() -> guessPointerSize(dump));
        // fills function and source into a module-resolved frame; identity without symbols
        UnaryOperator<Frame> symbolizer = f -> f.module() == null ? f
                : modules.find(f.address()).map(m -> symbols.symbolize(f, m)).orElse(f);
        Optional<ExceptionInfo> exc = dump.exception();
        Long crashedThread = exc.map(ExceptionInfo::threadId).orElse(null);

        ExceptionJson exceptionJson = exc.map(e -> exception(dump, e, modules, ptr, symbolizer)).orElse(null);
        Map<Long, ThreadStack> walked = new HashMap<>();
        List<ProblemJson> walkProblems = new ArrayList<>();
        if (stacks.threads() != StackOptions.Threads.NONE) {
            boolean crashedOnly = stacks.threads() == StackOptions.Threads.CRASHED;
            ThreadStacks.of(dump, symbols, stacks.maxFrames(), crashedOnly,
                    p -> walkProblems.add(new ProblemJson(p.message(), p.offset())))
                    .forEach(s -> walked.put(s.threadId(), s));
        }
        String signature = walked.values().stream().filter(ThreadStack::crashed).findFirst()
                .map(s -> CrashSignature.defaults().of(s.frames().stream().map(StackFrame::frame).toList()))
                .orElse(null);
        List<ThreadJson> threads = threads(dump, modules, ptr, crashedThread, symbolizer, walked, stacks.registers());
        Map<String, SymbolOrigin> origins = new HashMap<>(); // after the frames: where their names came from
        for (SymbolOrigin o : symbols.origins()) {
            // "missing" says something only when the user named places to look
            if (o.status() != SymbolOrigin.Status.MISSING || symbols.hasSymbolPath()) {
                origins.putIfAbsent(o.module() + "\0" + o.debugId(), o);
            }
        }
        List<ModuleJson> moduleJson = dump.modules().orElse(List.of()).stream()
                .map(m -> module(m, ptr, origins.get(m.name() + "\0" + m.module().debugId()))).toList();
        List<UnloadedModuleJson> unloaded = dump.unloadedModules().orElse(List.of()).stream()
                .map(u -> new UnloadedModuleJson(Hex.padded(u.base(), ptr), u.size(), u.name(), iso(u.timestamp())))
                .toList();
        return new DumpJson(dump.source(), dump.fileSize(), null, header(dump.header()), sys.map(s -> system(s))
                .orElse(null), process(dump), comment(dump), exceptionJson, assertion(dump), signature, threads, moduleJson,
                unloaded, memory(dump, ptr), addressSpace(dump, ptr), handles(dump), streams(dump),
                concat(problems(dump), walkProblems));
    }

    private static List<ProblemJson> concat(List<ProblemJson> a, List<ProblemJson> b) {
        if (b.isEmpty()) {
            return a;
        }
        List<ProblemJson> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Without SystemInfo: 64-bit when any module or memory range lies above 4 GB. */
    private static int guessPointerSize(Minidump dump) {
        boolean high = dump.modules().orElse(List.of()).stream().anyMatch(m -> (m.base() >>> 32) != 0);
        return high ? 8 : 4;
    }

    /** The entry of a dump that could not be opened: its name, its size if known, and why. */
    public static DumpJson failed(String file, Long size, String error) {
        return new DumpJson(file, size, error, null, null, null, null, null, null, null, List.of(), List.of(), List.of(),
                null, null, null, List.of(), List.of());
    }

    private static HeaderJson header(Header h) {
        List<String> names = new ArrayList<>();
        if (h.flags() == 0) {
            names.add("Normal");
        }
        for (int bit = 0; bit < 64; bit++) {
            if ((h.flags() & (1L << bit)) != 0) {
                names.add(bit < FLAG_NAMES.length ? FLAG_NAMES[bit] : "0x" + Long.toHexString(1L << bit));
            }
        }
        return new HeaderJson("MDMP", Hex.of(h.version()), h.implementationVersion(), h.streamCount(),
                h.timestamp().toString(), Hex.of(h.flags()), names, Hex.of(h.checksum()));
    }

    private static SystemJson system(SystemInfo s) {
        return new SystemJson(s.os(), s.osVersion(), blankToNull(s.servicePack()), s.cpu(), s.cpuDescription(),
                s.cpuVendor(), s.processorCount(), s.processorLevel(), s.processorRevision(), Hex.of(s.platformId()),
                s.pointerSize());
    }

    private static ProcessJson process(Minidump dump) {
        Optional<MiscInfo> misc = dump.miscInfo();
        // Breakpad's Linux dumps have no MiscInfo: the pid is in /proc/PID/status, the command line beside it.
        Long linuxPid = dump.text(StreamKind.LINUX_PROC_STATUS).flatMap(DumpReports::pidFromStatus).orElse(null);
        String cmdLine = dump.text(StreamKind.LINUX_CMD_LINE).map(c -> c.strip().replace('\n', ' ')).orElse(null);
        if (misc.isEmpty()) {
            return linuxPid == null && cmdLine == null ? null
                    : new ProcessJson(linuxPid, cmdLine, null, null, null, null, null, null);
        }
        MiscInfo m = misc.get();
        Long uptime = null;
        if (m.processCreateTime() != null) {
            uptime = Duration.between(m.processCreateTime(), dump.header().timestamp()).getSeconds();
        }
        return new ProcessJson(m.processId() != null ? m.processId() : linuxPid, cmdLine, iso(m.processCreateTime()),
                uptime, m.processUserTime(), m.processKernelTime(), blankToNull(m.buildString()),
                blankToNull(m.timeZoneName()));
    }

    private static Optional<Long> pidFromStatus(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("Pid:")) {
                try {
                    return Optional.of(Long.parseLong(line.substring(4).trim()));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** CommentStreamW, else CommentStreamA: procdump and WinDbg's .dump /c put the reason for the dump here. */
    private static String comment(Minidump dump) {
        return dump.text(StreamKind.COMMENT_W).or(() -> dump.text(StreamKind.COMMENT_A)).map(String::strip)
                .filter(s -> !s.isEmpty()).orElse(null);
    }

    private static ExceptionJson exception(Minidump dump, ExceptionInfo e, ModuleMap modules, int ptr,
            UnaryOperator<Frame> symbolizer) {
        // The faulting instruction is the exception context's instruction pointer. ExceptionAddress says the
        // same on Windows, but for Linux signals Breakpad stores si_addr there (for SIGABRT: the sender's pid).
        long ip = dump.context(e.contextSize(), e.contextOffset()).map(CpuContext::instructionPointer)
                .orElse(e.address());
        Frame frame = symbolizer.apply(modules.frame(ip));
        return new ExceptionJson("0x" + Hex.digits(e.code(), 8, false), e.name(), Hex.of(e.flags()), e.flagNames(),
                Hex.of(e.threadId()), Hex.padded(e.address(), ptr), Hex.padded(e.crashAddress(), ptr), Hex.padded(ip, ptr),
                e.parameters().stream().map(Hex::of).toList(), FrameJson.of(frame, ptr));
    }

    /** Shown only when the writer filled it: Breakpad's Windows client also writes an all-zero one. */
    private static AssertionJson assertion(Minidump dump) {
        return dump.assertionInfo().filter(a -> !a.isEmpty())
                .map(a -> new AssertionJson(Hex.of(a.type()), a.description(), blankToNull(a.expression()),
                        blankToNull(a.function()), blankToNull(a.file()), a.line() == 0 ? null : a.line()))
                .orElse(null);
    }

    private static List<ThreadJson> threads(Minidump dump, ModuleMap modules, int ptr, Long crashedThread,
            UnaryOperator<Frame> symbolizer, Map<Long, ThreadStack> walked, boolean registers) {
        ThreadWait waits = new ThreadWait();
        Map<Long, String> names = dump.threadNameMap();
        Map<Long, ThreadDetails> details = new TreeMap<>();
        dump.threadDetails().orElse(List.of()).forEach(d -> details.put(d.threadId(), d));
        Optional<ExceptionInfo> exc = dump.exception();
        // Breakpad's handler thread writes the dump: its stack shows the handler, not the crash.
        Long writer = dump.breakpadInfo().map(BreakpadInfo::dumpThreadId).orElse(null);
        List<ThreadJson> out = new ArrayList<>();
        for (DumpThread t : dump.threads().orElse(List.of())) {
            boolean crashed = crashedThread != null && crashedThread == t.id();
            // The faulting thread's registers at the fault are in the exception's context, not the thread's.
            Optional<CpuContext> ctx = crashed && exc.isPresent() && exc.get().contextSize() > 0
                    ? dump.context(exc.get().contextSize(), exc.get().contextOffset())
                    : dump.context(t);
            ThreadDetails d = details.get(t.id());
            Frame frame = ctx.map(c -> symbolizer.apply(modules.frame(c.instructionPointer()))).orElse(null);
            ThreadStack stack = walked.get(t.id());
            List<StackFrameJson> frames = null;
            String waiting = null;
            if (stack != null) {
                List<StackFrame> fs = stack.frames();
                frames = new ArrayList<>(fs.size());
                for (int i = 0; i < fs.size(); i++) {
                    frames.add(StackFrameJson.of(i, fs.get(i), ptr, registers));
                }
                waiting = waits.waitingIn(fs.stream().map(StackFrame::frame).toList()).orElse(null);
            }
            out.add(new ThreadJson(Hex.of(t.id()), names.get(t.id()), t.suspendCount(), Hex.of(t.priorityClass()),
                    t.priority(), Hex.padded(t.teb(), ptr), Hex.padded(t.stackStart(), ptr), t.stackSize(),
                    ctx.map(c -> Hex.padded(c.instructionPointer(), ptr)).orElse(null),
                    ctx.map(c -> Hex.padded(c.stackPointer(), ptr)).orElse(null),
                    ctx.map(c -> Hex.padded(c.framePointer(), ptr)).orElse(null),
                    ctx.map(c -> (int) c.declaredSize()).orElse(null), FrameJson.of(frame, ptr), crashed,
                    writer != null && writer == t.id(), d == null ? null : Hex.padded(d.startAddress(), ptr), d == null ? null : iso(d.createTime()),
                    d == null ? null : d.userTime100ns() / 1e7, d == null ? null : d.kernelTime100ns() / 1e7, waiting,
                    stack == null ? null : stack.end(), frames));
        }
        return out;
    }

    private static ModuleJson module(DumpModule m, int ptr, SymbolOrigin origin) {
        return new ModuleJson(Hex.padded(m.base(), ptr), m.size(), Hex.padded(m.base() + m.size() - 1, ptr),
                m.name(), m.module().path(), m.module().version(), m.productVersion(), m.module().debugFile(),
                m.module().debugId(), m.codeId(), iso(m.timestamp()), origin == null ? null
                        : new DumpJson.SymbolsJson(origin.status().name().toLowerCase(java.util.Locale.ROOT),
                                origin.file(), origin.url(), origin.detail()));
    }

    private static MemoryJson memory(Minidump dump, int ptr) {
        List<String> streams = new ArrayList<>();
        dump.memoryList().ifPresent(l -> streams.add("MemoryListStream"));
        dump.memory64List().ifPresent(l -> streams.add("Memory64ListStream"));
        if (streams.isEmpty()) {
            return null;
        }
        List<MemoryRange> ranges = dump.memory().ranges();
        return new MemoryJson(ranges.size(), dump.memory().capturedBytes(), streams,
                ranges.isEmpty() ? null : Hex.padded(ranges.get(0).start(), ptr),
                ranges.isEmpty() ? null : Hex.padded(ranges.get(ranges.size() - 1).end() - 1, ptr));
    }

    private static AddressSpaceJson addressSpace(Minidump dump, int ptr) {
        Optional<List<MemoryRegion>> regions = dump.memoryRegions();
        if (regions.isEmpty()) {
            return null;
        }
        AddressSpace a = AddressSpace.of(regions.get(), TOP_FREE_REGIONS);
        return new AddressSpaceJson(a.regionCount(), a.bytesByState().get("commit"),
                a.bytesByState().get("reserve"), a.bytesByState().get("free"), a.bytesByType().get("image"),
                a.bytesByType().get("mapped"), a.bytesByType().get("private"),
                a.largestFree() == null ? null : region(a.largestFree(), ptr),
                a.topFree().stream().map(r -> region(r, ptr)).toList());
    }

    private static RegionJson region(MemoryRegion r, int ptr) {
        return new RegionJson(Hex.padded(r.base(), ptr), r.size(), Hex.padded(r.base() + r.size() - 1, ptr));
    }

    private static HandlesJson handles(Minidump dump) {
        Optional<List<HandleInfo>> handles = dump.handles();
        if (handles.isEmpty()) {
            return null;
        }
        Map<String, Integer> byType = new TreeMap<>();
        for (HandleInfo h : handles.get()) {
            byType.merge(h.typeName() == null ? "(unknown)" : h.typeName(), 1, Integer::sum);
        }
        List<Map.Entry<String, Integer>> sorted = new ArrayList<>(byType.entrySet());
        sorted.sort((a, b) -> b.getValue() - a.getValue() != 0 ? b.getValue() - a.getValue()
                : a.getKey().compareTo(b.getKey()));
        List<HandleTypeJson> types = new ArrayList<>(sorted.size());
        for (Map.Entry<String, Integer> e : sorted) {
            types.add(new HandleTypeJson(e.getKey(), e.getValue()));
        }
        return new HandlesJson(handles.get().size(), types);
    }

    private static List<StreamJson> streams(Minidump dump) {
        return dump.streams().stream().map(DumpReports::stream).toList();
    }

    private static List<ProblemJson> problems(Minidump dump) {
        return dump.problems().stream().map(p -> new ProblemJson(p.message(), p.offset())).toList();
    }

    static String iso(Instant t) {
        return t == null ? null : t.toString();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static StreamJson stream(StreamEntry s) {
        return new StreamJson(s.index(), Hex.of(s.type()), s.label(),
                s.kind() != StreamKind.OTHER, s.size(), Hex.padded(s.offset(), 4));
    }
}
