package org.leakscope.html;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;
import org.leakscope.analysis.ResmonTableReport;
import org.leakscope.diff.AttributedSite;
import org.leakscope.model.Frame;
import org.leakscope.minidump.TableSite;

/**
 * {@code dumpscan --resmon --html}: the resources a resmon tracking table held live when the dump (or the table
 * image) was written, by call site, as bars of bytes and a table whose rows open to their stacks.
 */
public final class ResmonTableHtml {
    private ResmonTableHtml() {
    }

    public static void write(List<ResmonTableReport> reports, Writer w) throws IOException {
        page(reports).writeTo(w);
    }

    static Page page(List<ResmonTableReport> reports) {
        Page page = new Page("Leakscope dumpscan --resmon: " + String.join(", ", reports.stream()
                .map(r -> String.valueOf(Path.of(r.source()).getFileName())).toList()));
        page.datum("command", "dumpscan-resmon").datum("inputs", reports.size());
        Markup m = page.body();
        m.el("h1", "Leakscope dumpscan --resmon");
        for (ResmonTableReport r : reports) {
            m.open("section", "class", "input");
            m.el("h2", r.source());
            if (r.tables().isEmpty()) {
                m.el("p", "no resmon tracking table found", "class", "sub");
            }
            int n = 0;
            for (ResmonTableReport.Table t : r.tables()) {
                table(m, t, ++n);
            }
            r.problems().forEach(p -> m.el("p", p, "class", "warn"));
            m.close("section");
        }
        m.el("footer", "Written by Leakscope dumpscan --resmon.");
        return page;
    }

    private static void table(Markup m, ResmonTableReport.Table t, int n) {
        List<AttributedSite<TableSite>> sites = t.sites();
        long count = sites.stream().mapToLong(AttributedSite::count).sum();
        long bytes = sites.stream().mapToLong(AttributedSite::bytes).sum();
        m.el("h3", "Table " + n + " (found in " + t.foundIn() + "): " + Figures.count(count) + " live resources, "
                + Figures.bytes(bytes) + ", " + sites.size() + " call sites");
        BarChart c = new BarChart("live bytes by call site (the " + Math.min(LeakdiffHtml.MAX_DRAWN, sites.size())
                + " largest)", Figures::bytes);
        for (AttributedSite<TableSite> s : sites.subList(0, Math.min(LeakdiffHtml.MAX_DRAWN, sites.size()))) {
            String name = s.site() == null ? "(no stack)" : s.site().describe();
            c.bar(new BarChart.Bar(name, s.bytes(), null, name + ": " + Figures.count(s.count()) + " "
                    + s.kind().label() + "s, " + Figures.count(s.bytes()) + " bytes"));
        }
        if (c.size() > 0) {
            m.add(c.svg());
        }
        m.open("table", "class", "data sites");
        m.open("thead").open("tr").el("th", "count", "class", "num").el("th", "bytes", "class", "num")
                .el("th", "kind").el("th", "call site").close("tr").close("thead").open("tbody");
        for (AttributedSite<TableSite> s : sites) {
            String name = s.site() == null ? "(no stack)" : s.site().describe();
            m.open("tr");
            m.el("td", Figures.count(s.count()), "class", "num", "data-sort", Long.toString(s.count()));
            m.el("td", Figures.count(s.bytes()), "class", "num", "data-sort", Long.toString(s.bytes()));
            m.el("td", s.kind().label());
            m.open("td", "class", "site", "data-sort", name).open("details").el("summary", name);
            int folded = s.attribution() == null ? 0 : s.attribution().folded().size();
            for (int i = 0; i < s.stacks().size() && i < 10; i++) {
                Stacks.list(m, s.stacks().get(i), Frame::describe, folded);
            }
            m.close("details").close("td").close("tr");
        }
        m.close("tbody").close("table");
    }
}
