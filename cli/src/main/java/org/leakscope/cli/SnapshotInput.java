package org.leakscope.cli;

import org.leakscope.analysis.InputKind;
import org.leakscope.model.Snapshot;
import org.leakscope.resmon.ResmonLog;
import org.leakscope.resmon.ResmonRun;
import org.leakscope.umdh.UmdhCompareLog;
import org.leakscope.umdh.UmdhSnapshotLog;

/**
 * One file given to leakdiff, read according to what its content turned out to be: a UMDH snapshot, a UMDH
 * compare output, one run's resource report from a log with resmon output, or a tracking table image
 * (exactly one is set; a table image has only its snapshot).
 *
 * @param note      for a log, which run was picked and why (null otherwise)
 * @param tableKind for a tracking table, where it came from ({@code TABLE_IMAGE} or {@code DUMP_TABLE}); null
 *                  otherwise
 */
record SnapshotInput(String path, UmdhSnapshotLog umdh, UmdhCompareLog compare, ResmonLog log, ResmonRun run,
        Snapshot resmon, String note, InputKind tableKind) {
    SnapshotInput(String path, UmdhSnapshotLog umdh, UmdhCompareLog compare, ResmonLog log, ResmonRun run,
            Snapshot resmon, String note) {
        this(path, umdh, compare, log, run, resmon, note, null);
    }

    /** A tracking table's live resources: from an image file or from a minidump. */
    static SnapshotInput table(String path, InputKind kind, Snapshot s, String note) {
        return new SnapshotInput(path, null, null, null, null, s, note, kind);
    }

    static SnapshotInput umdh(String path, UmdhSnapshotLog s) {
        return new SnapshotInput(path, s, null, null, null, null, null);
    }

    static SnapshotInput compare(String path, UmdhCompareLog c) {
        return new SnapshotInput(path, null, c, null, null, null, null);
    }

    InputKind kind() {
        return umdh != null ? InputKind.UMDH_SNAPSHOT : compare != null ? InputKind.UMDH_COMPARE
                : log != null ? InputKind.RESMON_LOG : tableKind != null ? tableKind : InputKind.TABLE_IMAGE;
    }

    Snapshot snapshot() {
        return umdh != null ? umdh.snapshot() : resmon;
    }

    SnapshotInput withSnapshot(Snapshot s) {
        return new SnapshotInput(path, umdh, compare, log, run, s, note, tableKind);
    }
}
