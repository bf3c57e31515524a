package org.leakscope.cli.text;

import java.util.ArrayList;
import java.util.List;
import org.leakscope.analysis.DumpJson;
import org.leakscope.analysis.DumpJson.AssertionJson;
import org.leakscope.analysis.DumpJson.ExceptionJson;
import org.leakscope.analysis.DumpJson.ModuleJson;
import org.leakscope.analysis.DumpJson.ThreadJson;
import org.leakscope.analysis.FrameJson;

/**
 * The default dumpscan output: what a developer wants to see first when a dump lands on their desk. Every line
 * fits {@link Fit#WIDTH}: long free text (a Linux command line, warnings) wraps, long names and frames in tables
 * lose their middle; the JSON keeps every value whole.
 */
public final class DumpSummaryRenderer {
    private static final int LABEL = 11;

    private DumpSummaryRenderer() {
    }

    public static String render(DumpJson d) {
        StringBuilder out = new StringBuilder();
        Fit.field(out, "Dump", LABEL, Fit.middle(d.file(), Fit.WIDTH - LABEL - 20) + " (" + Sizes.exact(d.fileSize())
                + " bytes)");
        var h = d.header();
        Fit.field(out, "Written", LABEL, h.timestamp() + "   flags " + h.flags() + " " + String.join("|", h.flagNames()));
        if (d.system() != null) {
            var s = d.system();
            String os = s.os() + " " + s.osVersion();
            if (s.servicePack() != null && !s.servicePack().isBlank()) {
                os += " " + s.servicePack();
            }
            Fit.field(out, "System", LABEL, os);
            Fit.field(out, "CPU", LABEL, cpu(s));
        }
        if (d.process() != null) {
            var p = d.process();
            StringBuilder line = new StringBuilder(p.pid() == null ? "pid unknown" : "pid " + p.pid());
            if (p.createTime() != null) {
                line.append(", started ").append(p.createTime()).append(", up ").append(duration(p.uptimeSeconds()));
            }
            if (p.userTimeSeconds() != null) {
                line.append(", CPU ").append(p.userTimeSeconds()).append(" s user + ")
                        .append(p.kernelTimeSeconds()).append(" s kernel");
            }
            Fit.field(out, "Process", LABEL, line.toString());
            if (p.commandLine() != null) {
                Fit.field(out, "Command", LABEL, p.commandLine());
            }
        }
        if (d.comment() != null) {
            Fit.field(out, "Comment", LABEL, d.comment());
        }
        if (d.exception() != null) {
            exception(out, d.exception());
        }
        if (d.assertion() != null) {
            Fit.field(out, "Assertion", LABEL, assertion(d.assertion()));
        }
        StackText.render(out, d); // the walked stacks, the crashing thread's first
        threads(out, d.threads());
        modules(out, d);
        memory(out, d);
        handles(out, d);
        streams(out, d);
        if (!d.problems().isEmpty()) {
            out.append("\nWarnings (").append(d.problems().size()).append(")\n");
            d.problems().forEach(p -> Fit.field(out, "", 2, p.message()));
        }
        return out.toString();
    }

    /** {@code amd64, GenuineIntel family 6 model 69 stepping 1, 2 CPUs}. */
    private static String cpu(DumpJson.SystemJson s) {
        StringBuilder sb = new StringBuilder(s.cpu());
        String description = s.cpuDescription();
        if (s.cpuVendor() != null && (description == null || !description.startsWith(s.cpuVendor()))) {
            description = description == null ? s.cpuVendor() : s.cpuVendor() + " " + description;
        }
        if (description != null) {
            sb.append(", ").append(description);
        }
        return sb.append(", ").append(s.processorCount()).append(s.processorCount() == 1 ? " CPU" : " CPUs").toString();
    }

    private static void exception(StringBuilder out, ExceptionJson e) {
        // An unnamed code is its own name: print it once.
        String what = e.name().equals(e.code()) ? e.code() : e.name() + " (" + e.code() + ")";
        Fit.field(out, "Exception", LABEL, what + " at " + e.crashAddress() + ", thread " + e.threadId());
        if (!e.flagNames().isEmpty()) {
            Fit.field(out, "", LABEL, "flags " + e.flags() + " " + String.join("|", e.flagNames()));
        }
        String ip = "instruction " + e.instructionPointer();
        if (e.frame() == null) {
            Fit.field(out, "", LABEL, ip);
            return;
        }
        // a frame with inlined calls: one line each, innermost first, the real function last (InlineText)
        List<String> group = InlineText.group(withSource(e.frame()), e.frame().inlined(), true);
        int room = Fit.WIDTH - LABEL - ip.length() - 2 - 2;
        Fit.field(out, "", LABEL, ip + "  " + InlineText.fit(group.get(0), room));
        for (String more : group.subList(1, group.size())) { // under the first, the frame column
            out.append(" ".repeat(LABEL + ip.length() + 2)).append(InlineText.fit(more, room)).append('\n');
        }
    }

    /**
     * {@code Invalid parameter passed to library function `format != nullptr` in `common_vfprintf`,
     * minkernel/crts/.../stdio/output.cpp:32} (the file as the CRT was built, with Windows separators).
     */
    static String assertion(AssertionJson a) {
        StringBuilder sb = new StringBuilder(a.description());
        if (a.expression() != null) {
            sb.append(" `").append(a.expression()).append('`');
        }
        if (a.function() != null) {
            sb.append(" in `").append(a.function()).append('`');
        }
        if (a.file() != null) {
            sb.append(", ").append(a.file());
            if (a.line() != null) {
                sb.append(':').append(a.line());
            }
        } else if (a.line() != null) {
            sb.append(", line ").append(a.line());
        }
        return sb.toString();
    }

    private static void threads(StringBuilder out, List<ThreadJson> threads) {
        out.append("\nThreads (").append(threads.size()).append(")\n");
        if (threads.isEmpty()) {
            out.append("  (no ThreadList stream)\n");
            return;
        }
        boolean named = threads.stream().anyMatch(t -> t.name() != null);
        // Frames give up width first (their source directory, then argument lists), then names.
        Table t = named ? new Table("", "ID", "NAME", "SUSPEND>", "PRIORITY>", "INSTRUCTION POINTER", "WHERE")
                .shrinkable(6, 40, InlineText::fit).shrinkable(2, 16)
                .shrinkable(6, 24, InlineText::fit)
                : new Table("", "ID", "SUSPEND>", "PRIORITY>", "INSTRUCTION POINTER", "WHERE")
                        .shrinkable(5, 24, InlineText::fit);
        // The thread that raised the exception first: it is the one people came for.
        List<ThreadJson> ordered = new ArrayList<>(threads.stream().filter(ThreadJson::crashed).toList());
        threads.stream().filter(th -> !th.crashed()).forEach(ordered::add);
        for (ThreadJson th : ordered) {
            List<String> where = th.frame() == null ? List.of("")
                    : InlineText.group(withSource(th.frame()), th.frame().inlined(), true);
            String mark = th.crashed() ? "*" : th.wroteDump() ? "w" : "";
            if (named) {
                t.row(mark, th.id(), th.name(), th.suspendCount(), th.priority(), th.instructionPointer(), where.get(0));
            } else {
                t.row(mark, th.id(), th.suspendCount(), th.priority(), th.instructionPointer(), where.get(0));
            }
            for (String more : where.subList(1, where.size())) { // the frame's real function after its inlined calls
                if (named) {
                    t.row("", "", "", "", "", "", more);
                } else {
                    t.row("", "", "", "", "", more);
                }
            }
        }
        t.render(out, "  ");
        if (threads.stream().anyMatch(ThreadJson::crashed)) {
            out.append("  (* = the thread that raised the exception)\n");
        }
        if (threads.stream().anyMatch(th -> th.wroteDump() && !th.crashed())) {
            out.append("  (w = the crash handler's thread that wrote the dump)\n");
        }
    }

    private static void modules(StringBuilder out, DumpJson d) {
        out.append("\nModules (").append(d.modules().size()).append(")\n");
        if (d.modules().isEmpty()) {
            out.append("  (no ModuleList stream)\n");
            return;
        }
        Table t = new Table("BASE", "SIZE>", "VERSION", "NAME", "DEBUG ID").shrinkable(3, 16);
        d.modules().forEach(m -> t.row(m.base(), Sizes.human(m.size()), m.version(), m.name(), m.debugId()));
        t.render(out, "  ");
        // The debug file (the symbol store's first directory level) is nearly always NAME with .pdb (Windows) or
        // NAME itself (ELF): listed apart where it is something else, so the table keeps room for the names.
        Table unusual = new Table("", "MODULE", "DEBUG FILE").shrinkable(2, 24).shrinkable(1, 16);
        d.modules().forEach(m -> {
            if (unusualDebugFile(m) != null) {
                unusual.row("", m.name(), m.debugFile());
            }
        });
        if (!unusual.isEmpty()) {
            out.append("  Debug files not named after their module:\n");
            unusual.render(out, "  ");
        }
        symbols(out, d);
        if (!d.unloadedModules().isEmpty()) {
            Fit.field(out, "  unloaded:", LABEL + 1, String.join(", ",
                    d.unloadedModules().stream().map(u -> u.name() + " @" + u.base()).toList()));
        }
    }

    /** Where the names of the modules with frames came from (only when something was looked up). */
    private static void symbols(StringBuilder out, DumpJson d) {
        SymbolSourcesText.renderRows(out, "  ", d.modules().stream().filter(m -> m.symbols() != null)
                .map(m -> new SymbolSourcesText.Row(m.name(), m.symbols().status(), m.symbols().file(),
                        m.symbols().url(), m.symbols().detail())).toList());
    }

    /** The debug file when it is neither the module's name nor its name with .pdb for the extension. */
    private static String unusualDebugFile(ModuleJson m) {
        String f = m.debugFile();
        if (f == null || f.equals(m.name())) {
            return null;
        }
        int dot = m.name().lastIndexOf('.');
        String pdb = (dot > 0 ? m.name().substring(0, dot) : m.name()) + ".pdb";
        return f.equalsIgnoreCase(pdb) ? null : f;
    }

    private static void memory(StringBuilder out, DumpJson d) {
        if (d.memory() == null && d.addressSpace() == null) {
            return;
        }
        out.append("\nMemory\n");
        if (d.memory() != null) {
            var m = d.memory();
            out.append("  captured       ").append(m.ranges()).append(" ranges, ").append(bytes(m.capturedBytes()))
                    .append(" in ").append(String.join(" + ", m.streams())).append('\n');
        }
        if (d.addressSpace() != null) {
            var a = d.addressSpace();
            out.append("  address space  ").append(a.regions()).append(" regions: committed ")
                    .append(Sizes.human(a.committed())).append(", reserved ").append(Sizes.human(a.reserved()))
                    .append(", free ").append(Sizes.human(a.free())).append('\n');
            out.append("  by type        image ").append(Sizes.human(a.image())).append(", mapped ")
                    .append(Sizes.human(a.mapped())).append(", private ").append(Sizes.human(a.privateBytes()))
                    .append('\n');
            if (a.largestFree() != null) {
                out.append("  largest free   ").append(Sizes.human(a.largestFree().size())).append(" at ")
                        .append(a.largestFree().base()).append(
                                " (an allocation larger than this fails, however much is free in total)\n");
                Table t = new Table("FREE REGION", "END", "SIZE>");
                a.topFree().forEach(r -> t.row(r.base(), r.end(), Sizes.human(r.size())));
                t.render(out, "    ");
            }
        }
    }

    /** {@code 5,884 bytes (5.7 KiB)}; below 1 KiB the exact count alone ({@code 768 bytes}). */
    private static String bytes(long n) {
        String exact = Sizes.exact(n) + " bytes";
        return n >= 0 && n < 1024 ? exact : exact + " (" + Sizes.human(n) + ")";
    }

    private static void handles(StringBuilder out, DumpJson d) {
        if (d.handles() == null) {
            return;
        }
        out.append("\nHandles (").append(d.handles().total()).append(")\n");
        Table t = new Table("TYPE", "COUNT>").shrinkable(0, 24);
        d.handles().byType().forEach(h -> t.row(h.type(), h.count()));
        t.render(out, "  ");
    }

    private static void streams(StringBuilder out, DumpJson d) {
        out.append("\nStreams (").append(d.streams().size()).append(")\n");
        Table t = new Table("#>", "TYPE", "NAME", "SIZE>", "OFFSET");
        d.streams().forEach(s -> t.row(s.index(), s.type(), s.name(), Sizes.exact(s.size()), s.offset()));
        t.render(out, "  ");
    }

    static String withSource(FrameJson f) {
        String s = f.text();
        return f.sourceFile() == null ? s : s + " [" + f.sourceFile() + " : " + f.sourceLine() + "]";
    }

    static String duration(Long seconds) {
        if (seconds == null) {
            return "?";
        }
        long s = Math.abs(seconds);
        String text = s >= 86400 ? s / 86400 + "d " + two(s / 3600 % 24) + "h " + two(s / 60 % 60) + "m"
                : s >= 3600 ? s / 3600 + "h " + two(s / 60 % 60) + "m " + two(s % 60) + "s"
                : s >= 60 ? s / 60 + "m " + two(s % 60) + "s" : s + " s";
        return seconds < 0 ? "-" + text + " (clock skew)" : text;
    }

    private static String two(long n) {
        return n < 10 ? "0" + n : Long.toString(n);
    }
}
