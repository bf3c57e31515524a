package org.leakscope.cli;

import java.util.List;
import org.leakscope.analysis.RunSelection;
import org.leakscope.analysis.SnapshotInput;
import org.leakscope.analysis.SnapshotRead;

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
        throw RunFilter.matchedNothing(none.options(), List.of(none.log())); // FilterMatchedNothing
    }
}
