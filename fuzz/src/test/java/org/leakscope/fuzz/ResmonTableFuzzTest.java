package org.leakscope.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.leakscope.analysis.FoundTables;
import org.leakscope.analysis.ReadProgress;
import org.leakscope.analysis.ResmonTableReports;
import org.leakscope.analysis.Settings;
import org.leakscope.analysis.TableSnapshots;
import org.leakscope.minidump.Minidump;
import org.leakscope.minidump.ResmonTableReader;
import org.leakscope.minidump.TableImage;
import org.leakscope.minidump.TrackingTable;
import org.leakscope.model.Limits;
import org.leakscope.symbols.SymbolStore;

/**
 * The resmon tracking table: read from a table image file (dumpscan and leakdiff on a {@code .rmt}), and found
 * in a dump's user stream and by scanning its memory (dumpscan --resmon, leakdiff on a dump).
 */
class ResmonTableFuzzTest {
    private static final Settings SETTINGS = Settings.defaults();

    /** A table image: ranges, header, chunks, sites, module list, then the reports the commands build of it. */
    @FuzzTest(maxDuration = "30s")
    void image(byte[] input) throws Exception {
        Path file = FuzzFile.of("input.rmt", input);
        ReaderContract.check("table image", () -> {
            TableImage.isImage(input);
            TrackingTable t;
            try (TableImage img = TableImage.open(file, Limits.DEFAULT)) {
                img.rangeCount();
                t = ResmonTableReader.read(img, img.headerVa());
            }
            touch(t);
            try (SymbolStore symbols = new SymbolStore(List.of())) {
                new ResmonTableReports(symbols, SETTINGS.folding()).ofImage(file.toString(), t);
            }
            TableSnapshots.fromImage(file, Limits.DEFAULT);
        });
    }

    /**
     * A dump holding the input twice: as the table-image user stream, and as memory: each range of the image at
     * its address when the input parses as an image, else all of it at one address. The scan then finds the
     * header where the table's writer put it, as in a real dump of a traced process.
     */
    @FuzzTest(maxDuration = "30s")
    void scan(byte[] input) throws Exception {
        Path file = FuzzFile.of("input.dmp", dumpAround(input));
        ReaderContract.check("table scan", () -> {
            try (Minidump dump = Minidump.open(file, Limits.DEFAULT); SymbolStore symbols = new SymbolStore(List.of())) {
                FoundTables found = FoundTables.in(dump, ReadProgress.NONE);
                found.all().forEach(ResmonTableFuzzTest::touch);
                found.problems();
                new ResmonTableReports(symbols, SETTINGS.folding()).ofDump(dump, ReadProgress.NONE);
            }
            try {
                TableSnapshots.fromDump(file, Limits.DEFAULT, "leakdiff", ReadProgress.NONE);
            } catch (org.leakscope.model.InputFormatException noTable) {
                // the usual outcome: leakdiff refuses a dump without a table; the other paths above still ran
            }
        });
    }

    private static void touch(TrackingTable t) {
        t.cleanExit();
        t.fatalSignal();
        t.moduleMap();
        t.snapshot();
        t.problems();
    }

    /** The dump the scan target reads (see {@link #scan}). */
    static byte[] dumpAround(byte[] input) {
        List<Long> addresses = new ArrayList<>();
        List<byte[]> ranges = new ArrayList<>();
        if (!imageRanges(input, addresses, ranges)) {
            addresses.add(0x10000L);
            ranges.add(input);
        }
        return new DumpWriter().systemInfo(9).memoryList(addresses, ranges)
                .stream((int) TableImage.USER_STREAM_TYPE, input).bytes();
    }

    /** The ranges of a table image (docs/formats/resmon-table.md), leniently: false when it is not one. */
    private static boolean imageRanges(byte[] input, List<Long> addresses, List<byte[]> ranges) {
        if (input.length < 24 || !TableImage.isImage(input)) {
            return false;
        }
        ByteBuffer b = ByteBuffer.wrap(input).order(ByteOrder.LITTLE_ENDIAN);
        long count = Integer.toUnsignedLong(b.getInt(12));
        int at = 24;
        for (long i = 0; i < Math.min(count, 64) && at + 16 <= input.length; i++) {
            long va = b.getLong(at);
            long length = b.getLong(at + 8);
            int n = (int) Math.max(0, Math.min(length, input.length - at - 16L));
            addresses.add(va);
            ranges.add(java.util.Arrays.copyOfRange(input, at + 16, at + 16 + n));
            at += 16 + ((n + 7) & ~7);
        }
        return !ranges.isEmpty();
    }
}
