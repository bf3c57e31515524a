package org.leakscope.cli;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.leakscope.analysis.TriageRecord;
import org.leakscope.analysis.TriageRun;
import org.leakscope.cli.json.TriageJson;

/**
 * {@code triage --state DIR}: what earlier runs learned, as plain JSON Lines segments ({@code records-*.jsonl}, the
 * same lines as {@code --records}), so a nightly run over a growing folder reads only the new files. A file is
 * known by its content hash; a file seen before at the same path, size and modified time is not even hashed.
 * Each run appends segments written to a temporary name and renamed every {@value #SEGMENT_RECORDS} records, so a
 * run stopped half-way keeps what it finished and never leaves a half-written segment. {@code options.txt} holds
 * the options the records depend on; a folder made with others is refused rather than mixed.
 */
final class TriageState implements TriageRun.Memory {
    static final int SEGMENT_RECORDS = 1000;
    private static final String OPTIONS_FILE = "options.txt";

    private final Path dir;
    private final Map<String, TriageRecord> byHash = new HashMap<>();
    private final Map<String, Seen> byPath = new HashMap<>();
    private final List<String> warnings = new ArrayList<>();
    private BufferedWriter segment;
    private Path segmentTmp;
    private int segmentRecords;
    private int segmentNumber;
    /** Segments sort by the time their run started; the random part keeps two runs in one second apart. */
    private final String runName = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC)
            .format(Instant.now()) + "-" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);

    private record Seen(long size, long modified, String sha256) {
    }

    private TriageState(Path dir) {
        this.dir = dir;
    }

    /**
     * Opens (or creates) a state folder and reads its segments.
     *
     * @param options the options the records depend on, one line each; a folder made with other ones is refused
     */
    static TriageState open(Path dir, String options) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UsageException("--state " + dir + ": expected a folder, found a file");
        }
        Files.createDirectories(dir);
        Path opts = dir.resolve(OPTIONS_FILE);
        if (Files.exists(opts)) {
            String had = Files.readString(opts, StandardCharsets.UTF_8);
            if (!had.equals(options)) {
                throw new UsageException("--state " + dir + ": its records were made with other options (" + opts
                        + " says:\n" + had.strip() + "\nnow:\n" + options.strip()
                        + "); use another folder, or delete this one to start over");
            }
        } else {
            Files.writeString(opts, options, StandardCharsets.UTF_8);
        }
        TriageState s = new TriageState(dir);
        List<Path> segments;
        try (Stream<Path> files = Files.list(dir)) {
            segments = files.filter(p -> p.getFileName().toString().startsWith("records-")
                    && p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
        }
        for (Path p : segments) {
            s.load(p);
        }
        return s;
    }

    private void load(Path segment) throws IOException {
        int skipped = 0;
        try (BufferedReader r = Files.newBufferedReader(segment, StandardCharsets.UTF_8)) {
            String line;
            long n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                TriageJson.Line l;
                try {
                    l = TriageJson.read(line);
                } catch (IllegalArgumentException e) {
                    warnings.add(segment + ": line " + n + ": " + e.getMessage() + " (the file is read again)");
                    continue;
                }
                if (l == null) {
                    skipped++;
                    continue;
                }
                TriageRecord rec = l.record();
                byHash.putIfAbsent(rec.sha256(), rec);
                byPath.put(rec.file(), new Seen(rec.size(), l.modifiedMillis(), rec.sha256()));
            }
        }
        if (skipped > 0) {
            warnings.add(segment + ": " + skipped + " records of another Leakscope version (those files are read again)");
        }
    }

    /** Damaged lines met while loading, one message each. */
    List<String> warnings() {
        return warnings;
    }

    /** Files remembered. */
    int size() {
        return byHash.size();
    }

    @Override
    public String hashOf(Path file, long size, long modifiedMillis) {
        Seen s = byPath.get(file.toString());
        return s != null && s.size() == size && s.modified() == modifiedMillis ? s.sha256() : null;
    }

    @Override
    public TriageRecord recordOf(String sha256) {
        return byHash.get(sha256);
    }

    /** Remembers an outcome: every fresh record, and a remembered one found at a new path (then not hashed again). */
    void remember(TriageRun.Outcome o) throws IOException {
        TriageRecord r = o.record();
        if (r.sha256() == null) {
            return; // unreadable: nothing to know it by
        }
        if (o.remembered() && hashOf(Path.of(r.file()), r.size(), o.modifiedMillis()) != null) {
            return;
        }
        if (segment == null) {
            segmentTmp = dir.resolve(".records-" + runName + "-" + segmentNumber + ".jsonl.tmp");
            segment = Files.newBufferedWriter(segmentTmp, StandardCharsets.UTF_8);
        }
        segment.write(TriageJson.line(r, o.modifiedMillis()));
        segment.write('\n');
        if (++segmentRecords == SEGMENT_RECORDS) {
            closeSegment();
        }
    }

    /** Renames the current segment into place. */
    void finish() throws IOException {
        closeSegment();
    }

    private void closeSegment() throws IOException {
        if (segment == null) {
            return;
        }
        segment.close();
        segment = null;
        Path to = dir.resolve(String.format("records-%s-%04d.jsonl", runName, segmentNumber++));
        try {
            Files.move(segmentTmp, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(segmentTmp, to);
        }
        segmentRecords = 0;
    }
}
