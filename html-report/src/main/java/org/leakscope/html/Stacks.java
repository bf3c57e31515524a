package org.leakscope.html;

import java.util.List;
import java.util.function.Function;
import org.leakscope.analysis.ModuleSymbols;
import org.leakscope.model.Frame;
import org.leakscope.model.InlinedCall;

/** Stacks and symbol sources as every report shows them: one list item per frame, source lines beside. */
final class Stacks {
    private Stacks() {
    }

    /**
     * A stack, innermost first, as an ordered list; each frame's inlined calls (innermost first) before it.
     *
     * @param describe the frame for people, as the text report names it
     * @param folded   how many innermost frames belong to the allocator (shown muted)
     */
    static void list(Markup m, List<Frame> frames, Function<Frame, String> describe, int folded) {
        m.open("ol", "class", "stack");
        for (int i = 0; i < frames.size(); i++) {
            Frame f = frames.get(i);
            for (InlinedCall c : f.inlined()) {
                m.open("li", "class", "inl").text("inlined " + c.function());
                source(m, c.sourceFile(), c.sourceLine());
                m.close("li");
            }
            m.open("li", "class", i < folded ? "folded" : null).text(describe.apply(f));
            source(m, f.sourceFile(), f.sourceLine());
            m.close("li");
        }
        m.close("ol");
    }

    private static void source(Markup m, String file, Integer line) {
        if (file != null) {
            m.text(" ").el("span", file + (line == null ? "" : ":" + line), "class", "src");
        }
    }

    /** Where each module's names came from (the text report's "symbols:" section). */
    static void symbolSources(Markup m, List<ModuleSymbols> symbols) {
        if (symbols.isEmpty()) {
            return;
        }
        m.el("h2", "Symbols");
        m.open("table", "class", "data symbols");
        m.open("thead").open("tr").el("th", "module").el("th", "status").el("th", "from").close("tr").close("thead");
        m.open("tbody");
        for (ModuleSymbols s : symbols) {
            String from = s.file() == null ? "" : s.file() + (s.url() == null ? "" : " (" + s.url() + ")");
            m.open("tr").el("td", s.module(), "class", "site").el("td", s.status())
                    .el("td", s.detail() != null ? s.detail() : from, "class", "site").close("tr");
        }
        m.close("tbody").close("table");
    }
}
