package org.leakscope.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.TaskCompletionListener;
import org.leakscope.analysis.ContentHash;
import org.leakscope.analysis.Settings;
import org.leakscope.analysis.Triage;
import org.leakscope.analysis.TriageRecord;
import org.leakscope.cli.json.TriageJson;
import org.leakscope.symbols.SymbolStore;

/**
 * The executors' part: for each listed file (path, modificationTime, length), its bytes copied from whatever file
 * system holds it (file:, hdfs:, s3a:) to a temporary file on the executor, hashed there ({@link ContentHash}),
 * read by the analysis module's per-file step ({@link Triage#record}), and deleted; out comes the record as
 * {@code triage --records} writes it. The readers want a seekable file, which no remote stream is; streaming the
 * copy keeps an executor's memory flat and has no 2 GiB limit, unlike the binary source's content column.
 */
final class FileTriage implements MapPartitionsFunction<Row, String> {
    private static final long serialVersionUID = 1L;

    private final TriageSettings settings;
    private final DisplayNames names;
    private final byte[] hadoopConf;

    FileTriage(TriageSettings settings, DisplayNames names, Configuration conf) {
        this.settings = settings;
        this.names = names;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            conf.write(out); // Configuration is Writable, not Serializable: shipped as its bytes
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.hadoopConf = bytes.toByteArray();
    }

    @Override
    public Iterator<String> call(Iterator<Row> rows) throws IOException {
        Configuration conf = new Configuration(false);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(hadoopConf))) {
            conf.readFields(in);
        }
        Settings s = settings.settings();
        Triage triage = new Triage(s);
        SymbolStore symbols = s.openSymbols(); // one per task: a store is not shared between threads
        Path scratch = Files.createTempDirectory("leakscope-triage-");
        AtomicBoolean closed = new AtomicBoolean();
        Runnable cleanUp = () -> {
            if (closed.compareAndSet(false, true)) {
                symbols.close();
                deleteTree(scratch);
            }
        };
        TaskContext task = TaskContext.get();
        if (task != null) { // also when the task fails or is killed half-way
            task.addTaskCompletionListener((TaskCompletionListener) t -> cleanUp.run());
        }
        return new Iterator<>() {
            private int n;

            @Override
            public boolean hasNext() {
                if (rows.hasNext()) {
                    return true;
                }
                cleanUp.run();
                return false;
            }

            @Override
            public String next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Row row = rows.next();
                return one(row.getString(0), row.getTimestamp(1).getTime(), row.getLong(2), triage, symbols, conf,
                        scratch.resolve(Integer.toString(n++)));
            }
        };
    }

    /** One file's record line; a file that cannot be fetched is a record with the error, as in {@code triage}. */
    private String one(String uri, long modified, long length, Triage triage, SymbolStore symbols, Configuration conf,
            Path dir) {
        org.apache.hadoop.fs.Path source;
        try {
            source = new org.apache.hadoop.fs.Path(new URI(uri));
        } catch (URISyntaxException e) {
            source = new org.apache.hadoop.fs.Path(uri);
        }
        String name = names.of(source.toUri());
        Path copy = dir.resolve(source.getName());
        try {
            Files.createDirectory(dir); // the original's file name, in a folder of its own
            try (InputStream in = source.getFileSystem(conf).open(source)) {
                Files.copy(in, copy);
            }
            Files.setLastModifiedTime(copy, FileTime.fromMillis(modified)); // a record without dates uses it
            TriageRecord r = triage.record(copy, ContentHash.sha256(copy), symbols);
            return TriageJson.line(r.at(name), modified); // named, and its messages too, as the original
        } catch (IOException e) {
            TriageRecord failed = new TriageRecord(name, null, length, null, null, name + ": could not be copied to"
                    + " the executor: " + e.getMessage(), null, null, null, null, null);
            return TriageJson.line(failed, modified);
        } finally {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a left-over temporary file is not worth failing the task for
        }
    }
}
