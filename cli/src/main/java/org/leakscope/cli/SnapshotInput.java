package org.leakscope.cli;

import org.leakscope.model.Snapshot;
import org.leakscope.umdh.UmdhCompareLog;
import org.leakscope.umdh.UmdhSnapshotLog;

/**
 * One file given to leakdiff, read according to what its content turned out to be: a UMDH snapshot or a
 * UMDH compare output (exactly one of the two is set).
 */
record SnapshotInput(String path, UmdhSnapshotLog umdh, UmdhCompareLog compare) {
    String kind() {
        return umdh != null ? "umdh-snapshot" : "umdh-compare";
    }

    Snapshot snapshot() {
        return umdh == null ? null : umdh.snapshot();
    }
}
