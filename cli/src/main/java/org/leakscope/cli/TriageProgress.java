package org.leakscope.cli;

import org.leakscope.analysis.TriageRun;

/** triage's progress line: files, bytes, files per second and time left, on a terminal only, about 4 times a second. */
final class TriageProgress implements TriageRun.Progress {
    private final Progress progress;
    private final long started = System.nanoTime();
    private long lastShown;

    TriageProgress(Progress progress) {
        this.progress = progress;
    }

    @Override
    public void update(long files, long totalFiles, long bytes, long totalBytes) {
        long now = System.nanoTime();
        if (now - lastShown < 250_000_000L && files != totalFiles) {
            return;
        }
        lastShown = now;
        double secs = Math.max((now - started) / 1e9, 1e-3);
        double rate = files / secs;
        long left = rate > 0 ? Math.round((totalFiles - files) / rate) : 0;
        progress.line(String.format(java.util.Locale.ROOT, "triage: %,d/%,d files, %,d/%,d MiB, %.0f files/s,"
                + " %d:%02d left", files, totalFiles, bytes >> 20, totalBytes >> 20, rate, left / 60, left % 60));
    }

    void done() {
        progress.done();
    }
}
