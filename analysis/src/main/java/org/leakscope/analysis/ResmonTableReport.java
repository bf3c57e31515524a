package org.leakscope.analysis;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.leakscope.diff.AllocatorFolding;
import org.leakscope.diff.Attribution;
import org.leakscope.diff.AttributedSite;
import org.leakscope.minidump.TableSite;
import org.leakscope.minidump.TrackingTable;
import org.leakscope.model.Frame;
import org.leakscope.model.Problem;

/**
 * The resmon tracking tables of one input (a table image or a minidump), frames resolved, stacks merged by
 * call site: what {@code dumpscan --resmon} renders as text and as {@code leakscope.dumpscan-resmon/1}.
 *
 * @param source        the file as given
 * @param kind          {@link InputKind#TABLE_IMAGE} or {@link InputKind#MINIDUMP}
 * @param bytesScanned  for a dump: captured memory scanned for tables; null for an image
 * @param capturedBytes for a dump: captured memory it holds (0: it cannot carry a table); null for an image
 * @param problems      damaged table streams and unreadable memory (the tables' own problems are on them)
 * @param dumpProblems  damage in the dump itself (its report is still made)
 */
public record ResmonTableReport(String source, InputKind kind, Long bytesScanned, Long capturedBytes,
        List<Table> tables, List<String> problems, List<Problem> dumpProblems) {

    /**
     * One table.
     *
     * @param foundIn     {@code file} (an image), {@code user-stream} or {@code memory}
     * @param modulesFrom whose module list named the frames: {@code dump}, {@code table}, or null
     * @param sites       the live resources by call site, largest first ({@link AttributedSite#stacks()} holds
     *                    each member stack's resolved frames)
     * @param stacks      the table's stacks one by one, in the table's order, each with its own attribution
     */
    public record Table(TrackingTable table, String foundIn, String modulesFrom,
            List<AttributedSite<TableSite>> sites, List<Stack> stacks) {

        /** A table whose {@link #stacks()} are the table's sites with the frames {@code sites} resolved. */
        static Table of(TrackingTable table, String foundIn, String modulesFrom, List<AttributedSite<TableSite>> sites,
                AllocatorFolding folding) {
            Map<TableSite, List<Frame>> resolved = new IdentityHashMap<>();
            for (AttributedSite<TableSite> m : sites) {
                for (int i = 0; i < m.members().size(); i++) {
                    resolved.put(m.members().get(i), m.stacks().get(i));
                }
            }
            List<Stack> stacks = table.sites().stream().map(s -> {
                List<Frame> frames = resolved.get(s);
                return new Stack(s, frames, folding.attribute(frames));
            }).toList();
            return new Table(table, foundIn, modulesFrom, sites, stacks);
        }
    }

    /**
     * One stack of a table.
     *
     * @param site        the table's record of it
     * @param frames      its frames, resolved
     * @param attribution its call site and the frames folded above it; null for a stack without frames
     */
    public record Stack(TableSite site, List<Frame> frames, Attribution attribution) {
    }
}
