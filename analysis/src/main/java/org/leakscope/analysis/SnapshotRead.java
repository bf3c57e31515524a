package org.leakscope.analysis;

import org.leakscope.resmon.ResmonLog;
import org.leakscope.resmon.ResmonLogOptions;

/** What reading one input of a comparison gave: its snapshot, or a log in which no run could be chosen. */
public sealed interface SnapshotRead {
    /** The input, read. */
    record Read(SnapshotInput input) implements SnapshotRead {
    }

    /**
     * A log in which no run fits the run number or process filter asked for: the front end words the problem
     * (it names its own options).
     *
     * @param path      the log, as given
     * @param log       the parsed log (its runs, and those the filter left out)
     * @param selection why no run: {@link RunSelection.NoSuchRun} or {@link RunSelection.FilterMatchedNothing}
     * @param options   the reader options the log was read with (its process filter)
     */
    record NoRunChosen(String path, ResmonLog log, RunSelection selection, ResmonLogOptions options)
            implements SnapshotRead {
    }
}
