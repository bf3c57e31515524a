package org.leakscope.cli.text;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.leakscope.diff.StackTrend;
import org.leakscope.diff.TrendReport;
import org.leakscope.model.Frame;

/** {@code leakdiff --trend}: the ranking table, then each ranked stack with its series and frames. */
public final class TrendRenderer {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private TrendRenderer() {
    }

    /**
     * @param names  input names, oldest first
     * @param shown  the ranked stacks to print (already cut to --top / --min-delta)
     */
    public static String render(TrendReport r, List<String> names, List<StackTrend> shown, String keyNote) {
        StringBuilder sb = new StringBuilder();
        String unit = r.perHour() ? "/h" : "/snapshot";
        sb.append("Trend over ").append(names.size()).append(" snapshots");
        if (r.perHour()) {
            sb.append(", ").append(hours(r.spanHours())).append(" (").append(TIME.format(r.times().get(0)))
                    .append(" to ").append(TIME.format(r.times().get(r.times().size() - 1))).append(')');
        } else {
            sb.append(" (no usable snapshot times: rates are per snapshot)");
        }
        sb.append("; key ").append(keyNote).append('\n');
        Table in = new Table("#>", "snapshot", "time", "bytes>", "allocations>");
        for (int i = 0; i < names.size(); i++) {
            Instant t = i < r.times().size() ? r.times().get(i) : null;
            in.row(i + 1, names.get(i), t == null ? "-" : TIME.format(t), Sizes.exact(r.totalBytes()[i]),
                    Sizes.exact(r.totalCounts()[i]));
        }
        in.render(sb, "  ");
        long first = r.totalBytes()[0];
        long last = r.totalBytes()[r.totalBytes().length - 1];
        sb.append("Total: ").append(signed(last - first)).append(" bytes (").append(signedHuman(last - first))
                .append("), ").append(rate(r.totalPerUnit())).append(unit).append('\n');
        long sustained = r.stacks().stream().filter(StackTrend::sustained).count();
        sb.append("Stacks that changed: ").append(r.stacks().size()).append(", growing steadily: ").append(sustained)
                .append('\n');
        if (shown.isEmpty()) {
            sb.append("\nNo stack changed.\n");
            return sb.toString();
        }
        sb.append('\n');
        Table t = new Table("rank>", "sustained", "growth" + unit + ">", "first>", "last>", "delta>", "allocs delta>",
                "rose/fell>", "trace", "call site");
        int rank = 1;
        for (StackTrend s : shown) {
            t.row(rank++, s.sustained() ? "yes" : "no", rate(s.bytesPerUnit()), Sizes.exact(s.firstBytes()),
                    Sizes.exact(s.lastBytes()), signed(s.bytesDelta()), signed(s.countDelta()),
                    s.risingSteps() + "/" + s.fallingSteps(), s.traceId() == null ? "-" : s.traceId(), callSite(s));
        }
        t.render(sb, "  ");
        rank = 1;
        for (StackTrend s : shown) {
            sb.append("\n#").append(rank++).append(' ').append(s.sustained() ? "sustained growth " : "growth ")
                    .append(rate(s.bytesPerUnit())).append(unit).append(", rose in ").append(s.risingSteps())
                    .append(" and fell in ").append(s.fallingSteps()).append(" of ").append(s.bytes().length - 1)
                    .append(" steps");
            if (s.traceId() != null) {
                sb.append(", BackTrace").append(s.traceId());
            }
            if (s.mergedTraces() > 1) {
                sb.append(" (+").append(s.mergedTraces() - 1).append(" merged)");
            }
            sb.append("\n  bytes: ");
            for (int i = 0; i < s.bytes().length; i++) {
                sb.append(i == 0 ? "" : " -> ").append(Sizes.exact(s.bytes()[i]));
            }
            sb.append("\n  allocations: ");
            for (int i = 0; i < s.counts().length; i++) {
                sb.append(i == 0 ? "" : " -> ").append(Sizes.exact(s.counts()[i]));
            }
            sb.append('\n');
            List<Frame> fs = s.backtrace().frames();
            for (int i = 0; i < fs.size(); i++) {
                sb.append(i < s.foldedFrames() ? "    (alloc) " : "    ").append(UmdhCompareRenderer.frame(fs.get(i)))
                        .append('\n');
            }
        }
        return sb.toString();
    }

    /** The first frame after the folded allocator frames: where the program asked for memory. */
    static String callSite(StackTrend s) {
        List<Frame> fs = s.backtrace().frames();
        if (fs.isEmpty()) {
            return "(stack not in the log)";
        }
        return UmdhCompareRenderer.frame(fs.get(Math.min(s.foldedFrames(), fs.size() - 1)));
    }

    static String rate(double v) {
        String h = signedHuman(Math.round(v));
        return h;
    }

    static String signed(long v) {
        return (v > 0 ? "+" : v < 0 ? "-" : "") + Sizes.exact(Math.abs(v));
    }

    static String signedHuman(long v) {
        return (v > 0 ? "+" : v < 0 ? "-" : "") + Sizes.human(Math.abs(v));
    }

    static String hours(double h) {
        long tenths = Math.round(h * 10);
        return tenths / 10 + "." + tenths % 10 + " h";
    }
}
