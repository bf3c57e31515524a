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
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.leakscope.analysis.AddressMap;
import org.leakscope.analysis.DumpJson;
import org.leakscope.analysis.DumpMemory;
import org.leakscope.analysis.DumpReports;
import org.leakscope.analysis.Input;
import org.leakscope.analysis.InputKind;
import org.leakscope.analysis.Inputs;
import org.leakscope.analysis.RawStreams;
import org.leakscope.analysis.ResmonTableReport;
import org.leakscope.analysis.ResmonTableReports;
import org.leakscope.analysis.Settings;
import org.leakscope.analysis.StackOptions;
import org.leakscope.cli.json.DumpscanJson;
import org.leakscope.cli.json.Json;
import org.leakscope.cli.json.ResmonTableDocument;
import org.leakscope.cli.text.DumpSummaryRenderer;
import org.leakscope.cli.text.HexDumpRenderer;
import org.leakscope.cli.text.RawRenderer;
import org.leakscope.html.DumpscanHtml;
import org.leakscope.html.ResmonTableHtml;
import org.leakscope.model.Hex;
import org.leakscope.model.InputFormatException;

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
        o.addOption(Option.builder().longOpt("threads").hasArg().argName("all|crashed|none")
                .desc("whose call stacks are walked and shown (default: crashed in text, all with --json)").build());
        o.addOption(Option.builder().longOpt("frames").hasArg().argName("N")
                .desc("frames per stack at most (default " + StackOptions.DEFAULT_MAX_FRAMES + ")").build());
        o.addOption(Option.builder().longOpt("registers")
                .desc("the registers recovered for each frame of the walked stacks").build());
        CommonOptions.addFolding(o, "--resmon: name each stack by its innermost frame, keeping allocator and runtime"
                + " frames (operator new, std:: internals, malloc)");
        CommonOptions.addSymbolsPath(o, "Breakpad symbol store (<debug file>/<debug id>/<name>.sym); repeatable");
        CommonOptions.addHtml(o);
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
        Settings settings = CommonOptions.settings(cl);
        boolean json = cl.hasOption("json");
        OutputTarget target = new OutputTarget(cl.hasOption("output") ? Path.of(cl.getOptionValue("output")) : null, out);

        boolean tables = cl.hasOption("resmon");
        for (String name : dumps) {
            tables |= Inputs.isTableImage(Path.of(name));
        }
        if (tables && (cl.hasOption("raw") || memory != null)) {
            throw new UsageException("--resmon (or a table image) cannot be combined with --raw or --memory");
        }
        if (cl.hasOption("html") && (cl.hasOption("raw") || cl.hasOption("memory"))) {
            throw new UsageException("--html draws the dump summary or its resmon tables; it cannot be combined with"
                    + " --raw or --memory");
        }
        StackOptions stacks = stackOptions(cl, json, tables);
        if (tables) {
            return resmon(cl, dumps, settings, json, target);
        }
        if (cl.hasOption("fold") || cl.hasOption("no-fold")) {
            throw new UsageException("--fold and --no-fold apply to resmon tables (--resmon, or a table image)");
        }
        try (var symbols = settings.openSymbols()) {
            DumpReports reports = new DumpReports(symbols);
            StringBuilder text = new StringBuilder();
            List<Object> jsonDumps = new ArrayList<>();
            OutputTarget html = memory == null && !cl.hasOption("raw") ? CommonOptions.html(cl, out) : null;
            List<DumpscanHtml.Dump> pages = new ArrayList<>();
            boolean anyFailed = false;
            for (String name : dumps) {
                try (Input.DumpFile in = Inputs.openDump(InputFiles.checked(Path.of(name)), settings.inputs())) {
                    if (memory != null) {
                        renderMemory(DumpMemory.read(in.dump(), memory[0], (int) memory[1]), json, text, jsonDumps);
                    } else if (cl.hasOption("raw")) {
                        renderRaw(RawStreams.of(in.dump()), json, text, jsonDumps);
                    } else {
                        DumpJson report = reports.build(in.dump(), stacks);
                        if (html != null) {
                            pages.add(new DumpscanHtml.Dump(report, AddressMap.of(in.dump())));
                        }
                        if (json) {
                            jsonDumps.add(report);
                        } else {
                            if (text.length() > 0) {
                                text.append('\n');
                            }
                            text.append(DumpSummaryRenderer.render(report));
                        }
                    }
                    in.problems().forEach(p -> err.println("dumpscan: warning: " + p.message()));
                    // The report is still printed, but a damaged dump is bad input: scripts must notice.
                    anyFailed |= !in.problems().isEmpty();
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
            if (html != null && !pages.isEmpty()) {
                html.stream(w -> DumpscanHtml.write(pages, w));
            }
            return anyFailed ? ExitCode.BAD_INPUT : ExitCode.OK;
        }
    }

    /** --resmon, or table images: every table in every input. */
    private ExitCode resmon(CommandLine cl, List<String> inputs, Settings settings, boolean json,
            OutputTarget target) throws IOException {
        int top = CommonOptions.top(cl, 30);
        CommonOptions.checkFolding(cl);
        var folding = settings.folding();
        StringBuilder text = json ? null : new StringBuilder();
        List<org.leakscope.cli.json.ResmonTableJson.Input> docs = new ArrayList<>();
        List<ResmonTableReport> pages = new ArrayList<>();
        boolean anyFailed = false;
        try (var symbols = settings.openSymbols()) {
            ResmonTableReports reports = new ResmonTableReports(symbols, folding);
            for (String name : inputs) {
                Path p = Path.of(name);
                if (text != null && text.length() > 0) {
                    text.append('\n');
                }
                try {
                    InputFiles.check(p);
                    InputKind kind = Inputs.isTableImage(p) ? InputKind.TABLE_IMAGE : InputKind.MINIDUMP;
                    try (Input in = Inputs.open(p, kind, settings.inputs(), null)) {
                        ResmonTableReport r = reports.of(in, SnapshotInputs.progress("dumpscan", new Progress(err)));
                        pages.add(r);
                        if (kind == InputKind.TABLE_IMAGE) {
                            docs.add(ResmonTables.image(r, text, top));
                        } else {
                            docs.add(ResmonTables.scan(r, text, top));
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
                target.write(ResmonTableDocument.document(docs));
            }
        } else if (text.length() > 0) {
            target.write(text.toString());
        }
        OutputTarget html = CommonOptions.html(cl, out);
        if (html != null && !pages.isEmpty()) {
            html.stream(w -> ResmonTableHtml.write(pages, w));
        }
        return anyFailed ? ExitCode.BAD_INPUT : ExitCode.OK;
    }

    /** --threads, --frames, --registers; they describe the summary, so --raw, --memory and --resmon refuse them. */
    private static StackOptions stackOptions(CommandLine cl, boolean json, boolean tables) {
        boolean given = cl.hasOption("threads") || cl.hasOption("frames") || cl.hasOption("registers");
        if (given && (cl.hasOption("raw") || cl.hasOption("memory") || tables)) {
            throw new UsageException("--threads, --frames and --registers apply to the summary, not to --raw, --memory"
                    + " or resmon tables");
        }
        StackOptions.Threads threads = json ? StackOptions.Threads.ALL : StackOptions.Threads.CRASHED;
        if (cl.hasOption("threads")) {
            String v = cl.getOptionValue("threads");
            threads = switch (v) {
                case "all" -> StackOptions.Threads.ALL;
                case "crashed" -> StackOptions.Threads.CRASHED;
                case "none" -> StackOptions.Threads.NONE;
                default -> throw new UsageException("--threads: expected all, crashed or none, got '" + v + "'");
            };
        }
        int frames = StackOptions.DEFAULT_MAX_FRAMES;
        if (cl.hasOption("frames")) {
            String v = cl.getOptionValue("frames");
            try {
                frames = Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                frames = 0;
            }
            if (frames < 1) {
                throw new UsageException("--frames: expected a number of frames of at least 1, got '" + v + "'");
            }
        }
        return new StackOptions(threads, frames, cl.hasOption("registers"));
    }

    private static Long sizeOrNull(String name) {
        try {
            return Files.isRegularFile(Path.of(name)) ? Files.size(Path.of(name)) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static long[] parseMemory(String[] v) {
        try {
            long addr = Hex.parse(v[0]);
            String l = v[1].trim();
            long len = l.startsWith("0x") || l.startsWith("0X") ? Hex.parse(l) : Long.parseLong(l);
            if (len <= 0 || len > DumpMemory.MAX_READ) {
                throw new UsageException("--memory LEN must be 1.." + DumpMemory.MAX_READ + ", got " + v[1]);
            }
            return new long[] {addr, len};
        } catch (NumberFormatException e) {
            throw new UsageException("--memory ADDR LEN: expected a hex address and a length, got '" + v[0] + "' '"
                    + v[1] + "'");
        }
    }

    private static void renderMemory(DumpMemory m, boolean json, StringBuilder text, List<Object> jsonDumps) {
        int ptr = m.pointerSize();
        if (json) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (var p : m.pieces()) {
                Map<String, Object> piece = new LinkedHashMap<>();
                piece.put("address", Hex.padded(p.address(), ptr));
                piece.put("length", p.length());
                piece.put("captured", !p.isGap());
                piece.put("hex", p.isGap() ? null : hex(p.bytes()));
                out.add(piece);
            }
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("file", m.source());
            d.put("address", Hex.padded(m.address(), ptr));
            d.put("length", m.length());
            d.put("pieces", out);
            jsonDumps.add(d);
        } else {
            text.append(m.source()).append(": ").append(m.length()).append(" bytes at ")
                    .append(Hex.padded(m.address(), ptr)).append('\n');
            text.append(HexDumpRenderer.render(m.address(), m.pieces(), ptr));
        }
    }

    private static void renderRaw(Map<String, Object> doc, boolean json, StringBuilder text, List<Object> jsonDumps) {
        if (json) {
            jsonDumps.add(jsonSafe(doc));
        } else {
            if (text.length() > 0) {
                text.append('\n');
            }
            RawRenderer.render(text, doc, "");
        }
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
                  dumpscan crash.dmp --threads all --registers       # every thread's stack, with registers
                  dumpscan crash.dmp --json > crash.json             # schema: docs/json.md
                  dumpscan crash.dmp --html crash.html               # address-space map, handles, modules
                  dumpscan crash.dmp --memory 0x7ffdf000 256         # hex dump of captured memory
                  dumpscan crash.dmp --raw                           # every field of every stream
                  dumpscan crash.dmp --resmon                        # resmon tables found in its memory
                  dumpscan resmon-4242.rmt                           # a table image the tracker wrote
                """);
    }
}
