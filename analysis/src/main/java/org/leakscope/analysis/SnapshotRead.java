package org.leakscope.analysis;

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
     * @param selection why no run: {@link RunSelection.NoSuchRun} or {@link RunSelection.FilterMatchedNothing}
     * @param filterMiss the runs the process filter left out, when that is why (null for a run number)
     */
    record NoRunChosen(String path, RunSelection selection, FilterMiss filterMiss)
            implements SnapshotRead {
    }
}
