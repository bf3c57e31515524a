package org.leakscope.cli;

import java.util.List;
import org.leakscope.analysis.RunSelection;
import org.leakscope.analysis.SnapshotInput;
import org.leakscope.resmon.ResmonLog;
import org.leakscope.resmon.ResmonLogOptions;

/** leakdiff's log input: the run {@link RunSelection} chooses, or the usage error that says why none. */
final class RunChoice {
    private RunChoice() {
    }

    static SnapshotInput pick(String path, ResmonLog log, Integer runIndex, ResmonLogOptions o) {
        RunSelection choice = RunSelection.choose(path, log, runIndex, o);
        if (choice instanceof RunSelection.Chosen c) {
            return new SnapshotInput(path, null, null, log, c.run(), c.snapshot(), c.note());
        }
        if (choice instanceof RunSelection.NoSuchRun n) {
            throw new UsageException("--run " + n.runIndex() + ": " + path + " has runs " + n.runs() + n.filter());
        }
        throw RunFilter.matchedNothing(o, List.of(log)); // FilterMatchedNothing
    }
}
