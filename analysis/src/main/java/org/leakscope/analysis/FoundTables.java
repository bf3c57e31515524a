package org.leakscope.analysis;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.leakscope.minidump.Minidump;
import org.leakscope.minidump.ResmonTableReader;
import org.leakscope.minidump.ResmonTableScan;
import org.leakscope.minidump.StreamEntry;
import org.leakscope.minidump.TableImage;
import org.leakscope.minidump.TrackingTable;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Problem;

/**
 * The resmon tracking tables of a dump: from its user streams, then from its memory (a table found both ways
 * once).
 *
 * @param problems     damaged user streams and what the memory scan could not read
 * @param bytesScanned captured memory scanned for table headers
 */
public record FoundTables(List<TrackingTable> fromStreams, List<TrackingTable> fromMemory, List<String> problems,
        long bytesScanned) {

    /** Every table, user streams first. */
    public List<TrackingTable> all() {
        List<TrackingTable> all = new ArrayList<>(fromStreams);
        all.addAll(fromMemory);
        return all;
    }

    /** Searches the dump's user streams and scans its captured memory (progress by the dump's source name). */
    public static FoundTables in(Minidump dump, ReadProgress progress) {
        long captured = dump.memory().capturedBytes();
        // a launcher stores the table in a user stream at crash time; memory may hold it too (and a live one)
        List<TrackingTable> fromStreams = new ArrayList<>();
        List<String> streamProblems = new ArrayList<>();
        for (StreamEntry e : dump.streams()) {
            if (e.type() == TableImage.USER_STREAM_TYPE) {
                try {
                    // the dump's limits bound the table in it too
                    TableImage img = TableImage.fromBytes(dump.source() + " user stream " + e.index(), dump.rawStream(e),
                            dump.limits());
                    fromStreams.add(ResmonTableReader.read(img, img.headerVa()));
                } catch (InputFormatException x) {
                    streamProblems.add(x.getMessage());
                }
            }
        }
        ResmonTableScan.Result r;
        try {
            r = ResmonTableScan.scan(dump.memory(), progress.file(dump.source(), captured));
        } finally {
            progress.done();
        }
        Set<Long> inStreams = new HashSet<>();
        fromStreams.forEach(t -> inStreams.add(t.headerVa()));
        List<TrackingTable> fromMemory = r.tables().stream().filter(t -> !inStreams.contains(t.headerVa())).toList();
        List<String> problems = new ArrayList<>(streamProblems);
        r.problems().stream().map(Problem::message).forEach(problems::add);
        return new FoundTables(fromStreams, fromMemory, problems, r.bytesScanned());
    }
}
