package org.leakscope.html;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;
import org.leakscope.analysis.AddressMap;
import org.leakscope.analysis.DumpJson;
import org.leakscope.analysis.FrameJson;
import org.leakscope.analysis.StackFrameJson;
import org.leakscope.model.InlinedCall;

/**
 * dumpscan's HTML report: per dump the crash summary and the crashing thread's frames (the frames the summary
 * has: the walked stack, or without a walk the faulting one and each thread's top frame), the address space
 * drawn from MemoryInfoList with its largest free regions labelled, handles by type, modules with the status of
 * their symbols.
 */
public final class DumpscanHtml {
    private DumpscanHtml() {
    }

    /** One dump: its summary, and its regions for the address-space map (null when it could not be opened). */
    public record Dump(DumpJson summary, AddressMap map) {
    }

    public static void write(List<Dump> dumps, Writer w) throws IOException {
        page(dumps).writeTo(w);
    }

    static Page page(List<Dump> dumps) {
        Page page = new Page("Leakscope dumpscan: " + String.join(", ", dumps.stream()
                .map(d -> String.valueOf(Path.of(d.summary().file()).getFileName())).toList()));
        page.datum("command", "dumpscan").datum("dumps", dumps.size()).datum("files", String.join("\n",
                dumps.stream().map(d -> d.summary().file()).toList()));
        Markup m = page.body();
        m.el("h1", "Leakscope dumpscan");
        int n = 0;
        for (Dump d : dumps) {
            dump(m, d, ++n);
        }
        m.el("footer", "Written by Leakscope dumpscan. Whole stacks come with stack walking; today each thread shows"
                + " the frame its instruction pointer is in.");
        return page;
    }

    private static void dump(Markup m, Dump d, int n) {
        DumpJson s = d.summary();
        m.open("section", "class", "dump", "id", "dump-" + n);
        m.el("h2", s.file());
        if (s.error() != null) {
            m.el("p", "could not be read: " + s.error(), "class", "warn");
            m.close("section");
            return;
        }
        StringBuilder about = new StringBuilder();
        if (s.fileSize() != null) {
            about.append(Figures.bytes(s.fileSize()));
        }
        if (s.system() != null) {
            about.append(", ").append(s.system().os()).append(' ').append(s.system().osVersion()).append(", ")
                    .append(s.system().cpu());
        }
        if (s.process() != null && s.process().pid() != null) {
            about.append(", process ").append(s.process().pid());
        }
        m.el("p", about.toString(), "class", "sub");
        if (s.process() != null && s.process().commandLine() != null) {
            m.el("p", s.process().commandLine(), "class", "sub mono");
        }
        crash(m, s);
        threads(m, s);
        if (d.map() != null && !d.map().regions().isEmpty()) {
            addressSpace(m, s, d.map());
        }
        handles(m, s);
        modules(m, s);
        if (!s.problems().isEmpty()) {
            m.el("h3", "Problems");
            m.open("ul", "class", "warnings mono");
            s.problems().forEach(p -> m.el("li", p.message() + (p.offset() == null ? "" : " (offset " + p.offset()
                    + ")")));
            m.close("ul");
        }
        m.close("section");
    }

    private static void crash(Markup m, DumpJson s) {
        DumpJson.ExceptionJson e = s.exception();
        m.el("h3", "Crash");
        if (e == null) {
            m.el("p", "no exception stream: the dump was written without a crash", "class", "sub");
            return;
        }
        m.open("table", "class", "crash");
        row(m, "exception", e.name() + " (" + e.code() + ")");
        row(m, "thread", e.threadId());
        row(m, "address", e.address());
        if (e.crashAddress() != null) {
            row(m, "crash address", e.crashAddress());
        }
        row(m, "frame", frame(e.frame()));
        if (s.assertion() != null) {
            row(m, "assertion", s.assertion().type() + ": " + s.assertion().expression() + " in "
                    + s.assertion().function() + " (" + s.assertion().file() + ":" + s.assertion().line() + ")");
        }
        m.close("table");
        DumpJson.ThreadJson crashed = s.threads().stream().filter(DumpJson.ThreadJson::crashed).findFirst()
                .orElse(null);
        if (crashed != null) {
            m.el("h3", "Crashing thread " + crashed.id() + (crashed.name() == null ? "" : " (" + crashed.name() + ")"));
            if (s.crashSignature() != null && !s.crashSignature().isEmpty()) {
                m.el("p", "signature " + s.crashSignature(), "class", "sub mono signature");
            }
            m.open("ol", "class", "stack crashing");
            if (crashed.frames() != null && !crashed.frames().isEmpty()) {
                walked(m, crashed.frames());
            } else {
                if (e.frame() != null) {
                    m.el("li", frame(e.frame()));
                }
                if (crashed.frame() != null
                        && (e.frame() == null || !crashed.frame().text().equals(e.frame().text()))) {
                    m.el("li", frame(crashed.frame()));
                }
            }
            m.close("ol");
            m.el("p", "instruction " + crashed.instructionPointer() + ", stack " + crashed.stackPointer()
                    + (crashed.framePointer() == null ? "" : ", frame " + crashed.framePointer()), "class", "sub mono");
        }
    }

    /** The walked stack: each frame with how it was found, its inlined calls (innermost first) on items above it. */
    private static void walked(Markup m, List<StackFrameJson> frames) {
        for (StackFrameJson f : frames) {
            for (InlinedCall c : f.inlined() == null ? List.<InlinedCall>of() : f.inlined()) {
                m.el("li", (c.function() == null ? "?" : c.function())
                        + (c.sourceFile() == null ? "" : "  " + c.sourceFile() + ":" + c.sourceLine()) + "  (inlined)",
                        "class", "inlined");
            }
            m.el("li", f.text() + (f.sourceFile() == null ? "" : "  " + f.sourceFile() + ":" + f.sourceLine())
                    + "  (" + f.trust() + ")", "class", "frame " + f.trust());
        }
    }

    private static String frame(FrameJson f) {
        if (f == null) {
            return "(none)";
        }
        return f.text() + (f.sourceFile() == null ? "" : "  " + f.sourceFile() + ":" + f.sourceLine());
    }

    private static void row(Markup m, String name, String value) {
        m.open("tr").el("th", name).el("td", value == null ? "" : value, "class", "mono").close("tr");
    }

    private static void threads(Markup m, DumpJson s) {
        if (s.threads().isEmpty()) {
            return;
        }
        m.el("h3", "Threads (" + s.threads().size() + ")");
        m.open("table", "class", "data threads");
        m.open("thead").open("tr").el("th", "id").el("th", "name").el("th", "state").el("th", "top frame")
                .close("tr").close("thead").open("tbody");
        for (DumpJson.ThreadJson t : s.threads()) {
            m.open("tr", "class", t.crashed() ? "crashed" : null);
            m.el("td", t.id(), "class", "mono").el("td", t.name() == null ? "" : t.name())
                    .el("td", t.crashed() ? "crashed" : t.wroteDump() ? "wrote the dump" : "")
                    .el("td", frame(t.frame()), "class", "site");
            m.close("tr");
        }
        m.close("tbody").close("table");
    }

    private static void addressSpace(Markup m, DumpJson s, AddressMap map) {
        m.el("h3", "Address space");
        m.add(AddressStrip.of(map.regions(), map.pointerSize()));
        m.open("p", "class", "legend");
        for (String k : List.of("free", "reserved", "image", "mapped", "private")) {
            m.open("span").el("i", "", "class", k).text(k).close("span");
        }
        m.close("p");
        DumpJson.AddressSpaceJson a = s.addressSpace();
        if (a != null) {
            m.el("p", a.regions() + " regions: committed " + Figures.bytes(a.committed()) + " (image "
                    + Figures.bytes(a.image()) + ", mapped " + Figures.bytes(a.mapped()) + ", private "
                    + Figures.bytes(a.privateBytes()) + "), reserved " + Figures.bytes(a.reserved()) + ", free "
                    + Figures.bytes(a.free()) + (a.largestFree() == null ? "" : "; largest free "
                    + Figures.bytes(a.largestFree().size()) + " at " + a.largestFree().base()), "class", "summary");
        }
    }

    private static void handles(Markup m, DumpJson s) {
        if (s.handles() == null || s.handles().byType().isEmpty()) {
            return;
        }
        BarChart c = new BarChart("handles by type (" + s.handles().total() + " open)", Figures::count);
        for (DumpJson.HandleTypeJson h : s.handles().byType()) {
            c.bar(new BarChart.Bar(h.type(), h.count(), null, h.count() + " " + h.type() + " handles"));
        }
        m.add(c.svg());
    }

    private static void modules(Markup m, DumpJson s) {
        if (s.modules().isEmpty()) {
            return;
        }
        m.el("h3", "Modules (" + s.modules().size() + ")");
        m.open("table", "class", "data modules");
        m.open("thead").open("tr").el("th", "base").el("th", "size", "class", "num").el("th", "module")
                .el("th", "version").el("th", "symbols").el("th", "debug id").close("tr").close("thead").open("tbody");
        for (DumpJson.ModuleJson mod : s.modules()) {
            String sym = mod.symbols() == null ? "not needed" : mod.symbols().status()
                    + (mod.symbols().file() == null ? "" : ": " + mod.symbols().file());
            m.open("tr").el("td", mod.base(), "class", "mono").el("td", Figures.bytes(mod.size()), "class", "num",
                    "data-sort", Long.toString(mod.size())).el("td", mod.path() != null ? mod.path() : mod.name(),
                    "class", "site").el("td", mod.version() == null ? "" : mod.version())
                    .el("td", sym, "class", "symbols").el("td", mod.debugId() == null ? "" : mod.debugId(), "class",
                            "mono").close("tr");
        }
        m.close("tbody").close("table");
    }
}
