package org.leakscope.analysis;

import org.leakscope.model.Snapshot;
import org.leakscope.resmon.ResmonLog;
import org.leakscope.resmon.ResmonRun;
import org.leakscope.umdh.UmdhCompareLog;
import org.leakscope.umdh.UmdhSnapshotLog;

/**
 * One file to compare, read according to what its content turned out to be: a UMDH snapshot, a UMDH compare
 * output, one run's resource report from a log with resmon output, or a tracking table from an image or a
 * minidump (exactly one is set; a table has only its snapshot).
 *
 * @param note      for a log, which run was picked and why (null otherwise)
 * @param tableKind for a tracking table, where it came from ({@code TABLE_IMAGE} or {@code DUMP_TABLE}); null
 *                  otherwise
 */
public record SnapshotInput(String path, UmdhSnapshotLog umdh, UmdhCompareLog compare, ResmonLog log, ResmonRun run,
        Snapshot resmon, String note, InputKind tableKind) {
    /** A UMDH input, or one run of a log ({@code log}, {@code run} and its {@code resmon} snapshot set). */
    public SnapshotInput(String path, UmdhSnapshotLog umdh, UmdhCompareLog compare, ResmonLog log, ResmonRun run,
            Snapshot resmon, String note) {
        this(path, umdh, compare, log, run, resmon, note, null);
    }

    /** A tracking table's live resources: from an image file or from a minidump. */
    public static SnapshotInput table(String path, InputKind kind, Snapshot s, String note) {
        return new SnapshotInput(path, null, null, null, null, s, note, kind);
    }

    /** A UMDH snapshot log. */
    public static SnapshotInput umdh(String path, UmdhSnapshotLog s) {
        return new SnapshotInput(path, s, null, null, null, null, null);
    }

    /** A UMDH compare output (it has no snapshot). */
    public static SnapshotInput compare(String path, UmdhCompareLog c) {
        return new SnapshotInput(path, null, c, null, null, null, null);
    }

    /** What the file is. */
    public InputKind kind() {
        return umdh != null ? InputKind.UMDH_SNAPSHOT : compare != null ? InputKind.UMDH_COMPARE
                : log != null ? InputKind.RESMON_LOG : tableKind != null ? tableKind : InputKind.TABLE_IMAGE;
    }

    /** The live resources by stack: the UMDH log's, the run's or the table's; null for a compare output. */
    public Snapshot snapshot() {
        return umdh != null ? umdh.snapshot() : resmon;
    }

    /** The same input with another snapshot (moved onto another run's addresses, say). */
    public SnapshotInput withSnapshot(Snapshot s) {
        return new SnapshotInput(path, umdh, compare, log, run, s, note, tableKind);
    }
}
