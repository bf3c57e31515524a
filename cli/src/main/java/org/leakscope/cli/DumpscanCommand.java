package org.leakscope.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.leakscope.analysis.Input;
import org.leakscope.analysis.InputKind;
import org.leakscope.analysis.InputOptions;
import org.leakscope.analysis.Inputs;
import org.leakscope.analysis.ResmonTableReport;
import org.leakscope.analysis.ResmonTableReports;
import org.leakscope.cli.json.DumpJson;
import org.leakscope.cli.json.DumpscanJson;
import org.leakscope.cli.json.Json;
import org.leakscope.cli.text.DumpSummaryRenderer;
import org.leakscope.cli.text.HexDumpRenderer;
import org.leakscope.cli.text.RawRenderer;
import org.leakscope.diff.AllocatorFolding;
import org.leakscope.minidump.DumpThread;
import org.leakscope.minidump.Minidump;
import org.leakscope.minidump.StreamEntry;
import org.leakscope.minidump.StreamKind;
import org.leakscope.minidump.SystemInfo;
import org.leakscope.minidump.VirtualMemory;
import org.leakscope.model.Frame;
import org.leakscope.model.Hex;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Limits;
import org.leakscope.model.ModuleMap;
import org.leakscope.symbols.SymbolStore;

/** {@code dumpscan [options] DUMP...}: what is in a minidump, for people ({@code text}) and scripts ({@code --json}). */
final class DumpscanCommand {
    private static final String RAW_SCHEMA = "leakscope.dumpscan-raw/1";

    private final PrintStream out;
    private final PrintStream err;

    DumpscanCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    private static Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("json").desc("machine-readable output (schema in docs/json.md)").build());
        o.addOption(Option.builder().longOpt("raw").desc("every field of every stream, for debugging the parser")
                .build());
        o.addOption(Option.builder().longOpt("memory").numberOfArgs(2).argName("ADDR LEN")
                .desc("hex dump of LEN bytes (at most 64 MiB) of the dump's memory at virtual address ADDR"
                        + " (hex, 0x optional; LEN decimal or 0x-hex)")
                .build());
        o.addOption(Option.builder().longOpt("resmon").desc("find resmon tracking tables in the dump's memory (a"
                + " full-memory dump) and list the live resources they hold; a table image file (.rmt) is read"
                + " this way without the option").build());
        o.addOption(Option.builder().longOpt("top").hasArg().argName("N")
                .desc("--resmon: stacks shown per table (default 30; 0 = all)").build());
        CommonOptions.addFolding(o, "--resmon: name each stack by its innermost frame, keeping allocator and runtime"
                + " frames (operator new, std:: internals, malloc)");
        CommonOptions.addSymbolsPath(o, "Breakpad symbol store (<debug file>/<debug id>/<name>.sym); repeatable");
        CommonOptions.addOutputAndHelp(o);
        return o;
    }

    ExitCode run(String[] args) throws IOException {
        Options options = options();
        CommandLine cl = CommonOptions.parseOrHelp(options, args, () -> help(options));
        if (cl == null) {
            return ExitCode.OK;
        }
        List<String> dumps = cl.getArgList();
        if (dumps.isEmpty()) {
            throw new UsageException("no dump file given");
        }
        if (cl.hasOption("raw") && cl.hasOption("memory")) {
            throw new UsageException("--raw and --memory cannot be combined");
        }
        long[] memory = cl.hasOption("memory") ? parseMemory(cl.getOptionValues("memory")) : null;
        List<Path> symbolRoots = CommonOptions.symbolRoots(cl);
        boolean json = cl.hasOption("json");
        OutputTarget target = new OutputTarget(cl.hasOption("output") ? Path.of(cl.getOptionValue("output")) : null, out);

        boolean tables = cl.hasOption("resmon");
        for (String name : dumps) {
            tables |= Inputs.isTableImage(Path.of(name));
        }
        if (tables && (cl.hasOption("raw") || memory != null)) {
            throw new UsageException("--resmon (or a table image) cannot be combined with --raw or --memory");
        }
        if (tables) {
            return resmon(cl, dumps, symbolRoots, json, target);
        }
        if (cl.hasOption("fold") || cl.hasOption("no-fold")) {
            throw new UsageException("--fold and --no-fold apply to resmon tables (--resmon, or a table image)");
        }
        try (SymbolStore symbols = new SymbolStore(symbolRoots)) {
            StringBuilder text = new StringBuilder();
            List<Object> jsonDumps = new ArrayList<>();
            boolean anyFailed = false;
            for (String name : dumps) {
                try (Minidump dump = Minidump.open(InputFiles.checked(Path.of(name)), Limits.DEFAULT)) {
                    if (memory != null) {
                        renderMemory(dump, memory[0], (int) memory[1], json, text, jsonDumps);
                    } else if (cl.hasOption("raw")) {
                        renderRaw(dump, json, text, jsonDumps);
                    } else {
                        DumpJson report = new DumpReports(symbolizer(symbols, dump.moduleMap())).build(dump);
                        if (json) {
                            jsonDumps.add(report);
                        } else {
                            if (text.length() > 0) {
                                text.append('\n');
                            }
                            text.append(DumpSummaryRenderer.render(report));
                        }
                    }
                    dump.problems().forEach(p -> err.println("dumpscan: warning: " + p.message()));
                    // The report is still printed, but a damaged dump is bad input: scripts must notice.
                    anyFailed |= !dump.problems().isEmpty();
                } catch (InputFormatException | FileSystemException e) {
                    // One bad dump must not hide the report on the others: report it, go on, exit 2.
                    String msg = e instanceof FileSystemException f ? InputFiles.message(f) : e.getMessage();
                    err.println("dumpscan: error: " + msg);
                    anyFailed = true;
                    if (json && memory == null && !cl.hasOption("raw")) {
                        jsonDumps.add(DumpReports.failed(name, sizeOrNull(name), msg));
                    }
                }
            }
            // Symbol files are the user's own: damage in them is worth a warning, not a failed run.
            symbols.problems().forEach(p -> err.println("dumpscan: warning: " + p.message()));
            if (json) {
                String schema = memory != null ? "leakscope.dumpscan-memory/1"
                        : cl.hasOption("raw") ? RAW_SCHEMA : DumpscanJson.SCHEMA;
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("schema", schema);
                doc.put("dumps", jsonDumps);
                if (!jsonDumps.isEmpty() || !anyFailed) {
                    target.write(Json.write(doc));
                }
            } else if (text.length() > 0) {
                target.write(text.toString());
            }
            return anyFailed ? ExitCode.BAD_INPUT : ExitCode.OK;
        }
    }

    /** --resmon, or table images: every table in every input. */
    private ExitCode resmon(CommandLine cl, List<String> inputs, List<Path> symbolRoots, boolean json,
            OutputTarget target) throws IOException {
        int top = CommonOptions.top(cl, 30);
        AllocatorFolding folding = CommonOptions.folding(cl);
        StringBuilder text = json ? null : new StringBuilder();
        List<org.leakscope.cli.json.ResmonTableJson.Input> docs = new ArrayList<>();
        boolean anyFailed = false;
        try (SymbolStore symbols = new SymbolStore(symbolRoots)) {
            ResmonTableReports reports = new ResmonTableReports(symbols, folding);
            for (String name : inputs) {
                Path p = Path.of(name);
                if (text != null && text.length() > 0) {
                    text.append('\n');
                }
                try {
                    InputFiles.check(p);
                    InputKind kind = Inputs.isTableImage(p) ? InputKind.TABLE_IMAGE : InputKind.MINIDUMP;
                    try (Input in = Inputs.open(p, kind, InputOptions.defaults(), null)) {
                        ResmonTableReport r = reports.of(in, SnapshotInputs.progress("dumpscan", new Progress(err)));
                        if (kind == InputKind.TABLE_IMAGE) {
                            docs.add(ResmonTables.image(r, text, top, folding));
                        } else {
                            docs.add(ResmonTables.scan(r, text, top, folding));
                            r.dumpProblems().forEach(x -> err.println("dumpscan: warning: " + x.message()));
                            anyFailed |= !r.dumpProblems().isEmpty();
                        }
                    }
                } catch (InputFormatException | FileSystemException e) {
                    String msg = e instanceof FileSystemException f ? InputFiles.message(f) : e.getMessage();
                    err.println("dumpscan: error: " + msg);
                    anyFailed = true;
                }
            }
            symbols.problems().forEach(x -> err.println("dumpscan: warning: " + x.message()));
        }
        for (var d : docs) {
            d.problems().forEach(m -> err.println("dumpscan: warning: " + m));
            d.tables().forEach(t -> t.problems().forEach(m -> err.println("dumpscan: warning: " + m)));
        }
        if (json) {
            if (!docs.isEmpty() || !anyFailed) {
                target.write(ResmonTables.document(docs));
            }
        } else if (text.length() > 0) {
            target.write(text.toString());
        }
        return anyFailed ? ExitCode.BAD_INPUT : ExitCode.OK;
    }

    private static Long sizeOrNull(String name) {
        try {
            return Files.isRegularFile(Path.of(name)) ? Files.size(Path.of(name)) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static UnaryOperator<Frame> symbolizer(SymbolStore symbols, ModuleMap modules) {
        return f -> f.module() == null ? f : modules.find(f.address()).map(m -> symbols.symbolize(f, m)).orElse(f);
    }

    private static long[] parseMemory(String[] v) {
        try {
            long addr = Hex.parse(v[0]);
            String l = v[1].trim();
            long len = l.startsWith("0x") || l.startsWith("0X") ? Hex.parse(l) : Long.parseLong(l);
            if (len <= 0 || len > VirtualMemory.MAX_READ) {
                throw new UsageException("--memory LEN must be 1.." + VirtualMemory.MAX_READ + ", got " + v[1]);
            }
            return new long[] {addr, len};
        } catch (NumberFormatException e) {
            throw new UsageException("--memory ADDR LEN: expected a hex address and a length, got '" + v[0] + "' '"
                    + v[1] + "'");
        }
    }

    private static void renderMemory(Minidump dump, long addr, int len, boolean json, StringBuilder text,
            List<Object> jsonDumps) {
        int ptr = dump.systemInfo().map(SystemInfo::pointerSize).orElse(8);
        List<VirtualMemory.Piece> pieces = dump.memory().read(addr, len);
        if (json) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (VirtualMemory.Piece p : pieces) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("address", Hex.padded(p.address(), ptr));
                m.put("length", p.length());
                m.put("captured", !p.isGap());
                m.put("hex", p.isGap() ? null : hex(p.bytes()));
                out.add(m);
            }
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("file", dump.source());
            d.put("address", Hex.padded(addr, ptr));
            d.put("length", len);
            d.put("pieces", out);
            jsonDumps.add(d);
        } else {
            text.append(dump.source()).append(": ").append(len).append(" bytes at ").append(Hex.padded(addr, ptr))
                    .append('\n');
            text.append(HexDumpRenderer.render(addr, pieces, ptr));
        }
    }

    private static void renderRaw(Minidump dump, boolean json, StringBuilder text, List<Object> jsonDumps) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("file", dump.source());
        Map<String, Object> header = new LinkedHashMap<>();
        var h = dump.header();
        header.put("signature", "MDMP");
        header.put("version", (long) h.version());
        header.put("implementation_version", (long) h.implementationVersion());
        header.put("stream_count", h.streamCount());
        header.put("stream_directory_rva", h.directoryOffset());
        header.put("checksum", h.checksum());
        header.put("time_date_stamp", h.timestamp().getEpochSecond());
        header.put("flags", h.flags());
        doc.put("header", header);
        List<Map<String, Object>> streams = new ArrayList<>();
        for (StreamEntry e : dump.streams()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("index", (long) e.index());
            s.put("stream_type", e.type());
            s.put("name", e.label());
            s.put("data_size", e.size());
            s.put("rva", e.offset());
            if (e.kind() != StreamKind.UNUSED) {
                try {
                    raw(dump, e, s);
                } catch (InputFormatException ex) {
                    s.put("error", ex.getMessage());
                }
            }
            streams.add(s);
        }
        doc.put("streams", streams);
        if (json) {
            jsonDumps.add(jsonSafe(doc));
        } else {
            if (text.length() > 0) {
                text.append('\n');
            }
            RawRenderer.render(text, doc, "");
        }
    }

    private static void raw(Minidump dump, StreamEntry e, Map<String, Object> s) {
        var fields = dump.rawFields(e);
        if (fields.isPresent()) {
            s.put("fields", fields.get());
            if (e.kind() == StreamKind.THREAD_LIST) {
                Map<String, Object> contexts = new LinkedHashMap<>();
                for (DumpThread t : dump.threads().orElse(List.of())) {
                    dump.context(t).ifPresent(c -> {
                        Map<String, Object> regs = new LinkedHashMap<>();
                        regs.put("cpu", c.cpu());
                        regs.put("context_flags", c.flags());
                        regs.put("declared_size", c.declaredSize());
                        regs.putAll(c.registers());
                        contexts.put("thread " + Hex.of(t.id()), regs);
                    });
                }
                s.put("contexts", contexts);
            }
        } else if (isText(e.kind())) {
            dump.text(e.kind()).ifPresent(t -> s.put("text", t));
        } else {
            byte[] bytes = dump.rawStream(e);
            s.put("bytes", bytes);
        }
    }

    private static boolean isText(StreamKind k) {
        return switch (k) {
            case COMMENT_A, COMMENT_W, LINUX_CPU_INFO, LINUX_PROC_STATUS, LINUX_LSB_RELEASE, LINUX_CMD_LINE,
                    LINUX_ENVIRON, LINUX_MAPS -> true;
            default -> false;
        };
    }

    /** Byte arrays as hex strings (Jackson would write base64), numbers unchanged. */
    @SuppressWarnings("unchecked")
    private static Object jsonSafe(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), jsonSafe(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            return l.stream().map(DumpscanCommand::jsonSafe).toList();
        }
        if (v instanceof byte[] b) {
            return hex(b);
        }
        return v;
    }

    private static String hex(byte[] b) {
        return Hex.bytes(b);
    }

    private void help(Options options) {
        CommonOptions.printHelp(out, options, "dumpscan [options] DUMP...",
                "Summarise Windows, Breakpad and Crashpad minidumps: exception, threads, modules, memory, "
                        + "handles, streams.",
                """
                Examples:
                  dumpscan crash.dmp
                  dumpscan crash.dmp --symbols-path ./symbols        # symbolize the crash and thread frames
                  dumpscan crash.dmp --json > crash.json             # schema: docs/json.md
                  dumpscan crash.dmp --memory 0x7ffdf000 256         # hex dump of captured memory
                  dumpscan crash.dmp --raw                           # every field of every stream
                  dumpscan crash.dmp --resmon                        # resmon tables found in its memory
                  dumpscan resmon-4242.rmt                           # a table image the tracker wrote
                """);
    }
}
