package org.leakscope.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.leakscope.analysis.TriageAggregate;
import org.leakscope.analysis.TriageSummary;
import org.leakscope.cli.json.Json;
import org.leakscope.cli.json.TriageJson;

/**
 * {@code triage} as a Spark job: Spark's binary-file source lists the files under the paths (any Hadoop file
 * system), the executors make one record per file with the analysis module's per-file step ({@link FileTriage}),
 * the records are written as JSON Lines and Parquet, and the driver folds them into the aggregate
 * ({@link TriageAggregate}, as triage does) written as triage.json: the document {@code triage --json} prints.
 * Run by {@code bin/leakscope-spark} (embedded Spark, {@code local[*]}) or by {@code spark-submit}.
 */
public final class TriageJob {
    /** What a run wrote and found. */
    public record Result(TriageSummary summary, String document, int partitions, long nanos) {
    }

    private TriageJob() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** The command: exit status 0, 2 when a file could not be read or had damage (as triage), or a usage error. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        JobOptions options;
        try {
            options = JobOptions.parse(args, out);
        } catch (JobOptions.UsageException e) {
            err.println("leakscope-spark: " + e.getMessage() + " (--help for usage)");
            return 2;
        }
        if (options == null) {
            return 0;
        }
        SparkConf conf = new SparkConf().setAppName("leakscope-triage");
        if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]"); // not under spark-submit: Spark embedded, on this machine's cores
        }
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        try {
            Result r = run(spark, options);
            TriageSummary.Counts c = r.summary().counts();
            double secs = r.nanos() / 1e9;
            err.println(String.format(Locale.ROOT, "leakscope-spark: %,d files (%,d failed, %,d damaged) on %s in %d"
                    + " tasks; %.1f s, %.1f files/s; wrote %s", c.files(), c.failed(), c.damaged(),
                    spark.sparkContext().master(), r.partitions(), secs, c.files() / Math.max(secs, 1e-3),
                    options.out()));
            return r.summary().failed().isEmpty() && r.summary().damaged().isEmpty() ? 0 : 2;
        } catch (JobOptions.UsageException e) {
            err.println("leakscope-spark: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("leakscope-spark: " + e.getMessage());
            return 2;
        } finally {
            spark.stop();
        }
    }

    /**
     * Reads every file under the options' paths on the session's executors and writes the records and the
     * aggregate into the options' folder.
     */
    public static Result run(SparkSession spark, JobOptions options) throws IOException {
        long start = System.nanoTime();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        Path out = new Path(options.out());
        FileSystem outFs = out.getFileSystem(hadoop);
        if (outFs.exists(out)) {
            throw new JobOptions.UsageException("--out " + options.out() + ": exists; give a folder that does not"
                    + " exist yet (records.jsonl/, records.parquet/ and triage.json are written into it)");
        }
        Dataset<Row> files;
        try {
            // path, modificationTime and length only: the content column is never read, FileTriage streams it
            files = spark.read().format("binaryFile").option("recursiveFileLookup", "true")
                    .load(options.paths().toArray(String[]::new)).select("path", "modificationTime", "length");
        } catch (Exception e) { // AnalysisException is checked in Scala's eyes only
            if (e instanceof AnalysisException a) {
                throw new JobOptions.UsageException(a.getSimpleMessage());
            }
            throw e;
        }
        int partitions = options.partitions() > 0 ? options.partitions()
                : 4 * spark.sparkContext().defaultParallelism();
        // round robin: files spread evenly over the tasks, whatever sizes the listing's splits had
        Dataset<String> lines = files.repartition(partitions).mapPartitions(
                new FileTriage(options.settings(), DisplayNames.of(options.paths()), hadoop), Encoders.STRING());
        String jsonl = new Path(out, "records.jsonl").toString();
        lines.write().text(jsonl);
        // everything below reads what was written: the files are read once, and the outputs agree
        Dataset<String> written = spark.read().textFile(jsonl);
        spark.read().schema(RecordSchema.RECORD).json(written).write().parquet(new Path(out, "records.parquet")
                .toString());
        TriageAggregate aggregate = new TriageAggregate();
        for (Iterator<String> it = written.toLocalIterator(); it.hasNext(); ) {
            aggregate.add(RecordLines.read(it.next()));
        }
        TriageSummary summary = aggregate.summary();
        String document = Json.write(TriageJson.document(summary));
        try (OutputStream o = outFs.create(new Path(out, "triage.json"), false)) {
            o.write(document.getBytes(StandardCharsets.UTF_8));
        }
        return new Result(summary, document, partitions, System.nanoTime() - start);
    }
}
