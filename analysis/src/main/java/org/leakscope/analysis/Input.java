package org.leakscope.analysis;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.leakscope.minidump.Minidump;
import org.leakscope.minidump.TrackingTable;
import org.leakscope.model.Problem;
import org.leakscope.resmon.ResmonLog;
import org.leakscope.umdh.UmdhCompareLog;
import org.leakscope.umdh.UmdhSnapshotLog;

/**
 * One input file, opened with the reader its content called for ({@link Inputs#open}). Switch over the
 * variants; only a minidump stays open (its streams are read on request), so close every input when done.
 */
public sealed interface Input extends AutoCloseable {
    /** The file as given. */
    Path path();

    /** What the file is. */
    InputKind kind();

    /** Releases the file (a minidump's mapping); the other variants hold nothing open. */
    @Override
    default void close() throws IOException {
    }

    /** A minidump, open: its streams are parsed on first request. */
    record DumpFile(Path path, Minidump dump) implements Input {
        @Override
        public InputKind kind() {
            return InputKind.MINIDUMP;
        }

        /** Damage found so far in the streams read (a stream is parsed on first request). */
        public List<Problem> problems() {
            return dump.problems();
        }

        @Override
        public void close() throws IOException {
            dump.close();
        }
    }

    /** A resmon tracking table image: the table, read whole (the file is closed). */
    record TableImageFile(Path path, TrackingTable table) implements Input {
        @Override
        public InputKind kind() {
            return InputKind.TABLE_IMAGE;
        }
    }

    /** A UMDH snapshot log, read whole. */
    record UmdhSnapshotFile(Path path, UmdhSnapshotLog log) implements Input {
        @Override
        public InputKind kind() {
            return InputKind.UMDH_SNAPSHOT;
        }
    }

    /** A UMDH compare output, read whole. */
    record UmdhCompareFile(Path path, UmdhCompareLog log) implements Input {
        @Override
        public InputKind kind() {
            return InputKind.UMDH_COMPARE;
        }
    }

    /**
     * A DebugView log with resmon output, parsed: {@code log().runs()} are the tracked process runs it holds,
     * each with its reports and exit report.
     */
    record DebugViewLog(Path path, ResmonLog log) implements Input {
        @Override
        public InputKind kind() {
            return InputKind.RESMON_LOG;
        }
    }
}
