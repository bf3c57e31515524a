package org.leakscope.cli.text;

import java.util.List;
import org.leakscope.analysis.ModuleSymbols;

/** "Symbols:": where each module's names came from, the same block in every verb's text report. */
public final class SymbolSourcesText {
    private SymbolSourcesText() {
    }

    /** One module's row. */
    record Row(String module, String status, String file, String url, String detail) {
    }

    /**
     * Appends the block (nothing when no module was looked up).
     *
     * @param out     the report
     * @param indent  before each line
     * @param sources the modules, in the order their frames were named
     */
    public static void render(StringBuilder out, String indent, List<ModuleSymbols> sources) {
        renderRows(out, indent, sources.stream().map(s -> new Row(s.module(), s.status(), s.file(), s.url(),
                s.detail())).toList());
    }

    static void renderRows(StringBuilder out, String indent, List<Row> rows) {
        if (rows.isEmpty()) {
            return;
        }
        out.append(indent).append("Symbols:\n");
        Table t = new Table("", "MODULE", "SYMBOLS", "FROM").shrinkable(3, 24).shrinkable(1, 16);
        for (Row r : rows) {
            String from = switch (r.status()) {
                case "found" -> r.url() == null ? r.file() : r.url(); // downloaded: the server says more than the cache
                case "mismatched" -> r.detail() == null ? "only files of another build" : r.detail();
                default -> "no file of its name on the symbol path";
            };
            t.row("", r.module(), r.status(), from);
        }
        t.render(out, indent);
    }
}
