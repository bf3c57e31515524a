package org.leakscope.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.analysis.Settings;
import org.leakscope.analysis.TriageAggregate;
import org.leakscope.analysis.TriageInputs;
import org.leakscope.analysis.TriageRecord;
import org.leakscope.analysis.TriageRun;
import org.leakscope.cli.json.Json;
import org.leakscope.cli.json.TriageJson;
import org.leakscope.model.Limits;
import org.leakscope.testing.Required;

/**
 * The job in {@code local[2]} against triage run in this process as the CLI runs it (TriageInputs, TriageRun,
 * TriageAggregate, TriageJson), on the third-party corpus and testdata/: the same aggregate document byte for byte,
 * and the same record for every file in the JSON Lines and the Parquet output.
 */
class TriageJobTest {
    private static SparkSession spark;

    @BeforeAll
    static void startSpark() {
        spark = SparkSession.builder().master("local[2]").appName("TriageJobTest")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1")
                .getOrCreate();
    }

    @AfterAll
    static void stopSpark() {
        if (spark != null) {
            spark.stop();
        }
    }

    /** triage's records and document, in process, with the settings CommonOptions makes without options. */
    private record Triaged(Map<String, TriageRecord> records, String document) {
    }

    private static Triaged inProcess(List<String> arguments) throws IOException {
        Settings settings = new Settings(List.of(), List.of(), false, null, false, null, null, null, Limits.DEFAULT,
                List.of(), null, false).withSymbolPath(List.of(), System::getenv, false);
        TriageAggregate aggregate = new TriageAggregate();
        Map<String, TriageRecord> records = new TreeMap<>();
        new TriageRun(settings, 2).run(TriageInputs.expand(arguments), TriageRun.Memory.NONE, o -> {
            aggregate.add(o.record());
            records.put(o.record().file(), o.record());
        }, TriageRun.Progress.NONE);
        return new Triaged(records, Json.write(TriageJson.document(aggregate.summary())));
    }

    private static JobOptions job(List<String> arguments, Path out) {
        return new JobOptions(arguments, out.toString(), 4, TriageSettings.capture(List.of(), false, List.of(),
                false, null));
    }

    @Test
    void corpusAndTestdataGiveTriagesDocumentAndRecords(@TempDir Path tmp) throws IOException {
        Path corpus = Required.corpusRoot();
        Required.that(Files.isDirectory(corpus), "the corpus " + corpus + " is absent (../shared/corpus)");
        // the corpus as the build names it (absolute), testdata relative: records name files as triage does
        List<String> arguments = List.of(corpus.toString(), Path.of("..", "testdata").toString());
        Triaged expected = inProcess(arguments);
        assertTrue(expected.records().size() > 80, "corpus and testdata hold over 80 files: "
                + expected.records().size());

        Path out = tmp.resolve("out");
        TriageJob.Result result = TriageJob.run(spark, job(arguments, out));

        assertEquals(expected.document(), result.document());
        assertEquals(expected.document(), Files.readString(out.resolve("triage.json")));

        Map<String, TriageRecord> lines = new TreeMap<>();
        try (Stream<Path> parts = Files.list(out.resolve("records.jsonl"))) {
            for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
                for (String line : Files.readAllLines(part)) {
                    assertTrue(line.startsWith("{\"schema\":\"leakscope.triage-record/1\","), line);
                    TriageRecord r = RecordLines.read(line);
                    assertFalse(lines.containsKey(r.file()), "one record per file: " + r.file());
                    lines.put(r.file(), r);
                }
            }
        }
        assertEquals(expected.records().keySet(), lines.keySet());
        for (TriageRecord want : expected.records().values()) {
            assertEquals(toMillis(want), lines.get(want.file()), want.file());
        }
        assertFalse(lines.values().stream().anyMatch(r -> String.valueOf(r).contains("leakscope-triage-")),
                "no record names an executor's temporary copy");

        List<Row> parquet = spark.read().parquet(out.resolve("records.parquet").toString())
                .select("file", "sha256", "kind", "crash.signature", "error").collectAsList();
        assertEquals(lines.size(), parquet.size());
        for (Row row : parquet) {
            TriageRecord r = lines.get(row.getString(0));
            assertEquals(r.sha256(), row.getString(1), r.file());
            assertEquals(r.kind(), row.getString(2), r.file());
            assertEquals(r.crash() == null ? null : r.crash().signature(), row.getString(3), r.file());
            assertEquals(r.error(), row.getString(4), r.file());
        }
    }

    /**
     * Hadoop's listing has a file's modified time to the millisecond; a record whose only date is that time
     * (timeFrom file-modified, which the aggregate never uses) carries it so.
     */
    private static TriageRecord toMillis(TriageRecord r) {
        TriageRecord.Identity id = r.identity();
        if (id == null || !"file-modified".equals(id.timeFrom())) {
            return r;
        }
        String t = Instant.parse(id.time()).truncatedTo(ChronoUnit.MILLIS).toString();
        return new TriageRecord(r.file(), r.sha256(), r.size(), r.kind(), r.skipped(), r.error(),
                new TriageRecord.Identity(id.process(), id.pid(), id.version(), id.os(), id.machine(), t,
                        id.timeFrom()), r.crash(), r.liveSites(), r.runs(), r.problems());
    }
}
