package org.leakscope.cli;

import org.leakscope.analysis.RunSelection;
import org.leakscope.analysis.SnapshotInput;
import org.leakscope.analysis.SnapshotRead;
import org.leakscope.cli.text.FilterMissText;

/** leakdiff's inputs as read, or the usage error that says why a log gave no run to compare. */
final class RunChoice {
    private RunChoice() {
    }

    static SnapshotInput input(SnapshotRead read) {
        if (read instanceof SnapshotRead.Read r) {
            return r.input();
        }
        SnapshotRead.NoRunChosen none = (SnapshotRead.NoRunChosen) read;
        if (none.selection() instanceof RunSelection.NoSuchRun n) {
            throw new UsageException("--run " + n.runIndex() + ": " + none.path() + " has runs " + n.runs()
                    + n.filter());
        }
        throw new UsageException(FilterMissText.render(none.filterMiss())); // FilterMatchedNothing
    }
}
