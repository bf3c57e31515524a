package org.leakscope.cli.text;

import java.util.List;
import org.leakscope.cli.json.DumpJson;
import org.leakscope.cli.json.DumpJson.ThreadJson;
import org.leakscope.cli.json.FrameJson;

/** The default dumpscan output: what a developer wants to see first when a dump lands on their desk. */
public final class DumpSummaryRenderer {
    private DumpSummaryRenderer() {
    }

    public static String render(DumpJson d) {
        StringBuilder out = new StringBuilder();
        out.append("Dump       ").append(d.file()).append(" (").append(Sizes.exact(d.fileSize())).append(" bytes)\n");
        var h = d.header();
        out.append("Written    ").append(h.timestamp()).append("   flags ").append(h.flags()).append(' ')
                .append(String.join("|", h.flagNames())).append('\n');
        if (d.system() != null) {
            var s = d.system();
            out.append("System     ").append(s.os()).append(' ').append(s.osVersion());
            if (s.servicePack() != null && !s.servicePack().isBlank()) {
                out.append(' ').append(s.servicePack());
            }
            out.append(", ").append(s.cpu());
            if (s.cpuDescription() != null) {
                out.append(" (").append(s.cpuDescription()).append(')');
            }
            out.append(", ").append(s.processorCount()).append(s.processorCount() == 1 ? " CPU" : " CPUs").append('\n');
        }
        if (d.process() != null) {
            var p = d.process();
            out.append("Process    ");
            out.append(p.pid() == null ? "pid unknown" : "pid " + p.pid());
            if (p.createTime() != null) {
                out.append(", started ").append(p.createTime()).append(", up ").append(duration(p.uptimeSeconds()));
            }
            if (p.userTimeSeconds() != null) {
                out.append(", CPU ").append(p.userTimeSeconds()).append(" s user + ")
                        .append(p.kernelTimeSeconds()).append(" s kernel");
            }
            out.append('\n');
            if (p.commandLine() != null) {
                out.append("Command    ").append(p.commandLine()).append('\n');
            }
        }
        if (d.comment() != null) {
            out.append("Comment    ").append(d.comment().replace("\n", "\n           ")).append('\n');
        }
        if (d.exception() != null) {
            var e = d.exception();
            out.append("Exception  ").append(e.name()).append(" (").append(e.code()).append(") at ")
                    .append(e.crashAddress()).append(", thread ").append(e.threadId()).append('\n');
            out.append("           instruction ").append(e.instructionPointer());
            if (e.frame() != null) {
                out.append("  ").append(withSource(e.frame()));
            }
            out.append('\n');
        }
        threads(out, d.threads());
        modules(out, d);
        memory(out, d);
        handles(out, d);
        streams(out, d);
        if (!d.problems().isEmpty()) {
            out.append("\nWarnings (").append(d.problems().size()).append(")\n");
            d.problems().forEach(p -> out.append("  ").append(p.message()).append('\n'));
        }
        return out.toString();
    }

    private static void threads(StringBuilder out, List<ThreadJson> threads) {
        out.append("\nThreads (").append(threads.size()).append(")\n");
        if (threads.isEmpty()) {
            out.append("  (no ThreadList stream)\n");
            return;
        }
        boolean named = threads.stream().anyMatch(t -> t.name() != null);
        Table t = named ? new Table("", "ID", "NAME", "SUSPEND>", "PRIORITY>", "INSTRUCTION POINTER", "WHERE")
                : new Table("", "ID", "SUSPEND>", "PRIORITY>", "INSTRUCTION POINTER", "WHERE");
        for (ThreadJson th : threads) {
            String where = th.frame() == null ? "" : withSource(th.frame());
            String mark = th.crashed() ? "*" : "";
            if (named) {
                t.row(mark, th.id(), th.name(), th.suspendCount(), th.priority(), th.instructionPointer(), where);
            } else {
                t.row(mark, th.id(), th.suspendCount(), th.priority(), th.instructionPointer(), where);
            }
        }
        t.render(out, "  ");
        if (threads.stream().anyMatch(ThreadJson::crashed)) {
            out.append("  (* = the thread that raised the exception)\n");
        }
    }

    private static void modules(StringBuilder out, DumpJson d) {
        out.append("\nModules (").append(d.modules().size()).append(")\n");
        if (d.modules().isEmpty()) {
            out.append("  (no ModuleList stream)\n");
            return;
        }
        Table t = new Table("BASE", "SIZE>", "VERSION", "NAME", "DEBUG FILE", "DEBUG ID");
        d.modules().forEach(m -> t.row(m.base(), Sizes.human(m.size()), m.version(), m.name(), m.debugFile(),
                m.debugId()));
        t.render(out, "  ");
        if (!d.unloadedModules().isEmpty()) {
            out.append("  unloaded: ");
            out.append(String.join(", ", d.unloadedModules().stream().map(u -> u.name() + " @" + u.base()).toList()));
            out.append('\n');
        }
    }

    private static void memory(StringBuilder out, DumpJson d) {
        if (d.memory() == null && d.addressSpace() == null) {
            return;
        }
        out.append("\nMemory\n");
        if (d.memory() != null) {
            var m = d.memory();
            out.append("  captured       ").append(m.ranges()).append(" ranges, ").append(Sizes.exact(m.capturedBytes()))
                    .append(" bytes (").append(Sizes.human(m.capturedBytes())).append(") in ")
                    .append(String.join(" + ", m.streams())).append('\n');
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

    private static void handles(StringBuilder out, DumpJson d) {
        if (d.handles() == null) {
            return;
        }
        out.append("\nHandles (").append(d.handles().total()).append(")\n");
        Table t = new Table("TYPE", "COUNT>");
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
