package org.leakscope.cli;

import java.util.ArrayList;
import java.util.List;
import org.leakscope.analysis.ResmonTableReport;
import org.leakscope.cli.json.ResmonTableDocument;
import org.leakscope.cli.json.ResmonTableJson;
import org.leakscope.cli.text.Fit;
import org.leakscope.cli.text.ResmonTableRenderer;
import org.leakscope.cli.text.Sizes;

/**
 * {@code dumpscan --resmon}: the resmon tracking tables in a dump (found by scanning its memory) or in a table
 * image file, rendered as text or as {@code leakscope.dumpscan-resmon/1}.
 */
final class ResmonTables {
    private ResmonTables() {
    }

    /** A table image's report: text (when asked) and JSON. */
    static ResmonTableJson.Input image(ResmonTableReport r, StringBuilder text, int top) {
        ResmonTableReport.Table t = r.tables().get(0);
        if (text != null) {
            StringBuilder report = new StringBuilder();
            ResmonTableRenderer.render(report, t.table(), t.sites(), top);
            text.append(Fit.middleInBytes(r.source(), Math.max(24, Fit.WIDTH - 2 - report.indexOf("\n"))))
                    .append(": ").append(report);
        }
        return new ResmonTableJson.Input(r.source(), r.kind().jsonName(), null, List.of(ResmonTableDocument.table(t, top)),
                List.of());
    }

    /** A dump's tables: text (when asked) and JSON. */
    static ResmonTableJson.Input scan(ResmonTableReport r, StringBuilder text, int top) {
        if (text != null) {
            long fromStreams = r.tables().stream().filter(t -> t.foundIn().equals("user-stream")).count();
            StringBuilder about = new StringBuilder().append(r.tables().size())
                    .append(" resmon table").append(r.tables().size() == 1 ? "" : "s");
            if (fromStreams != 0) {
                about.append(" (").append(fromStreams).append(" from the user stream)");
            }
            about.append(", ").append(Sizes.human(r.bytesScanned())).append(" of captured memory scanned");
            text.append(Fit.middleInBytes(r.source(), Math.max(24, Fit.WIDTH - 2 - about.length()))).append(": ")
                    .append(about).append('\n');
            for (ResmonTableReport.Table t : r.tables()) {
                ResmonTableRenderer.render(text, t.table(), t.sites(), top);
            }
            if (r.tables().isEmpty() && r.capturedBytes() == 0) {
                text.append("  (the dump holds no memory: write a full-memory dump to carry the table)\n");
            }
        }
        List<ResmonTableJson.Table> tables = new ArrayList<>();
        for (ResmonTableReport.Table t : r.tables()) {
            tables.add(ResmonTableDocument.table(t, top));
        }
        return new ResmonTableJson.Input(r.source(), r.kind().jsonName(), r.bytesScanned(), tables, r.problems());
    }

}
